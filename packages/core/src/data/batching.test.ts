import { describe, expect, it } from 'vitest';
import { QtkError } from '../errors/QtkError.js';
import type { Dim, ValueInfo } from '../ir/graph.js';
import { Tensor } from '../ir/tensor.js';
import { batchSamples, concatRows, sliceRows } from './batching.js';
import { catchQtkError } from '../test-support/expectQtkError.js';

const input = (shape: Dim[] | undefined, dtype: 'float32' | 'uint8' = 'float32', name = 'input'): ValueInfo => ({
  name,
  type: { kind: 'tensor', dtype, shape },
});

/** float32 [n, ...rest] whose element i is i. */
const iota = (dims: number[]) => {
  const n = dims.reduce((a, b) => a * b, 1);
  return Tensor.fromFloat32(Float32Array.from({ length: n }, (_, i) => i), dims);
};


describe('batchSamples', () => {
  it('symbolic batch dim: batches of batchSize, the last one smaller', () => {
    const b = batchSamples(iota([70, 1, 8, 8]), input(['N', 1, 8, 8]), { batchSize: 32 });
    expect(b.batches.map((t) => t.dims)).toEqual([[32, 1, 8, 8], [32, 1, 8, 8], [6, 1, 8, 8]]);
    expect([b.samples, b.dropped, b.batchSize, b.input]).toEqual([70, 0, 32, 'input']);
    // rows stay in order: batch 1 starts at sample 32
    expect(b.batches[1]!.get(0)).toBe(32 * 64);
    expect(b.batches[2]!.get(6 * 64 - 1)).toBe(70 * 64 - 1);
  });

  it('unknown batch dim (null) and no shape at all behave as symbolic; default batch size is 32', () => {
    expect(batchSamples(iota([40, 3]), input([null, 3])).batches.map((t) => t.dims[0])).toEqual([32, 8]);
    expect(batchSamples(iota([40, 3]), input(undefined)).batches.map((t) => t.dims[0])).toEqual([32, 8]);
  });

  it('batch dim fixed to 1: one sample per batch', () => {
    const b = batchSamples(iota([5, 2]), input([1, 2]));
    expect(b.batches.map((t) => t.dims)).toEqual([[1, 2], [1, 2], [1, 2], [1, 2], [1, 2]]);
    expect(b.batchSize).toBe(1);
  });

  it('batch dim fixed to 4: full batches only, the rest reported as dropped', () => {
    const b = batchSamples(iota([10, 2]), input([4, 2]));
    expect(b.batches.map((t) => t.dims[0])).toEqual([4, 4]);
    expect([b.samples, b.dropped]).toEqual([8, 2]);
  });

  it('a batch size other than a fixed batch dim is an option error naming both', () => {
    const e = catchQtkError(() => batchSamples(iota([10, 2]), input([1, 2]), { batchSize: 8 }));
    expect(e.code).toBe('E_OPTION');
    expect(e.message).toContain('batch size 8');
    expect(e.message).toContain("'input' [1,2]");
  });

  it('maxSamples keeps the first samples only', () => {
    const b = batchSamples(iota([100, 2]), input(['N', 2]), { batchSize: 32, maxSamples: 40 });
    expect(b.batches.map((t) => t.dims[0])).toEqual([32, 8]);
    expect(b.samples).toBe(40);
  });

  it('a per-sample shape that does not fit gives E_CALIB_DATA naming data shape/dtype and input name/shape/dtype', () => {
    const e = catchQtkError(() => batchSamples(iota([64, 1, 8, 9]), input(['N', 1, 8, 8])));
    expect(e.code).toBe('E_CALIB_DATA');
    expect(e.message).toContain('[64,1,8,9] float32');
    expect(e.message).toContain("model input 'input' [N,1,8,8] float32");
    expect(e.message).toContain('axis 3');
    expect(e.where.tensor).toBe('input');
  });

  it('a rank mismatch (data without a sample axis) gives E_CALIB_DATA', () => {
    const e = catchQtkError(() => batchSamples(iota([1, 8, 8]), input(['N', 1, 8, 8])));
    expect(e.code).toBe('E_CALIB_DATA');
    expect(e.message).toContain('rank 3 does not match rank 4');
  });

  it('a dtype mismatch gives E_CALIB_DATA naming both dtypes', () => {
    const e = catchQtkError(() => batchSamples(new Tensor('uint8', new Uint8Array(4), [2, 2]), input(['N', 2], 'float32', 'pixels')));
    expect(e.code).toBe('E_CALIB_DATA');
    expect(e.message).toContain("data [2,2] uint8 vs model input 'pixels' [N,2] float32");
  });

  it('float64 data is converted to float32 for a float32 input', () => {
    const b = batchSamples(new Tensor('float64', Float64Array.from([0.1, 1e10, -2, 0.5]), [2, 2]), input(['N', 2]), { batchSize: 2 });
    expect(b.batches[0]!.dtype).toBe('float32');
    expect(Array.from(b.batches[0]!.data as Float32Array)).toEqual(Array.from(Float32Array.from([0.1, 1e10, -2, 0.5])));
  });

  it('fewer samples than a fixed batch needs is an error', () => {
    const e = catchQtkError(() => batchSamples(iota([3, 2]), input([4, 2])));
    expect(e.message).toContain('3 samples do not fill one batch of 4');
  });
});

describe('sliceRows and concatRows', () => {
  it('slice copies rows [start, end) along axis 0', () => {
    const s = sliceRows(iota([4, 3]), 1, 3);
    expect(s.dims).toEqual([2, 3]);
    expect(s.toNumbers()).toEqual([3, 4, 5, 6, 7, 8]);
  });

  it('concat joins along axis 0 in order', () => {
    const c = concatRows([iota([1, 2]), iota([2, 2])]);
    expect(c.dims).toEqual([3, 2]);
    expect(c.toNumbers()).toEqual([0, 1, 0, 1, 2, 3]);
  });

  it('concat of parts with other per-sample shapes names both parts', () => {
    const e = catchQtkError(() => concatRows([iota([1, 2]), iota([1, 3])], ['a.npy', 'b.npy']));
    expect(e.code).toBe('E_CALIB_DATA');
    expect(e.message).toContain('b.npy is [1,3] float32, but a.npy is [1,2] float32');
  });
});
