import { describe, expect, it } from 'vitest';
import type { Dim, ValueInfo } from '../ir/graph.js';
import { Tensor } from '../ir/tensor.js';
import { batchInputs, sharedSampleCount } from './batchInputs.js';
import { catchQtkError } from '../test-support/expectQtkError.js';

const input = (name: string, shape: Dim[], dtype: 'float32' | 'int64' = 'float32'): ValueInfo => ({ name, type: { kind: 'tensor', dtype, shape } });

/** float32 [dims] whose element i is `offset + i`. */
const iota = (dims: number[], offset = 0) =>
  Tensor.fromFloat32(Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => offset + i), dims);

describe('sharedSampleCount', () => {
  it('is the axis-0 count the arrays share', () => {
    expect(sharedSampleCount({ a: iota([5, 2]), b: iota([5, 3, 1]) })).toBe(5);
  });

  it('arrays with different counts are E_CALIB_DATA naming every array and its count', () => {
    const e = catchQtkError(() => sharedSampleCount({ a: iota([5, 2]), b: iota([4, 2]), c: iota([5, 2]) }));
    expect(e.code).toBe('E_CALIB_DATA');
    expect(e.message).toBe("calibration arrays must hold the same number of samples (axis 0): 'a' 5, 'b' 4, 'c' 5");
    expect(e.where.tensor).toBe('b');
  });

  it('a scalar array is E_CALIB_DATA naming it', () => {
    expect(catchQtkError(() => sharedSampleCount({ a: iota([2]), b: Tensor.fromFloat32(Float32Array.of(1), []) })).message).toContain("for 'b' is a scalar");
  });
});

describe('batchInputs', () => {
  it('batch k of every input holds the same rows; the last batch is smaller', () => {
    const b = batchInputs([
      { input: input('x', ['N', 2]), data: iota([5, 2]) },
      { input: input('y', ['N', 3]), data: iota([5, 3], 100) },
    ], { batchSize: 2 });
    expect([b.inputs, b.batchSize, b.samples, b.dropped]).toEqual([['x', 'y'], 2, 5, 0]);
    expect(b.batches.map((f) => [f.x!.dims, f.y!.dims])).toEqual([[[2, 2], [2, 3]], [[2, 2], [2, 3]], [[1, 2], [1, 3]]]);
    // row 4 of x is 8,9; row 4 of y is 112..114
    expect([b.batches[2]!.x!.toNumbers(), b.batches[2]!.y!.toNumbers()]).toEqual([[8, 9], [112, 113, 114]]);
  });

  it('an input with a fixed batch dim sets the batch size and drops the same trailing rows from all', () => {
    const b = batchInputs([
      { input: input('x', ['N', 2]), data: iota([7, 2]) },
      { input: input('y', [3, 1]), data: iota([7, 1]) },
    ]);
    expect([b.batchSize, b.samples, b.dropped]).toEqual([3, 6, 1]);
    expect(b.batches.map((f) => [f.x!.dims[0], f.y!.dims[0]])).toEqual([[3, 3], [3, 3]]);
  });

  it('inputs that fix different batch dims are E_CALIB_DATA naming both', () => {
    const e = catchQtkError(() => batchInputs([
      { input: input('x', [2, 2]), data: iota([4, 2]) },
      { input: input('y', [4, 1]), data: iota([4, 1]) },
    ]));
    expect(e.code).toBe('E_CALIB_DATA');
    expect(e.message).toContain("model inputs fix different batch dims ('x' [2,2], 'y' [4,1])");
  });

  it('different sample counts, and data that does not fit one input, are errors naming the input', () => {
    expect(catchQtkError(() => batchInputs([
      { input: input('x', ['N', 2]), data: iota([4, 2]) },
      { input: input('y', ['N', 2]), data: iota([3, 2]) },
    ])).message).toBe("calibration arrays must hold the same number of samples (axis 0): 'x' 4, 'y' 3");
    const e = catchQtkError(() => batchInputs([
      { input: input('x', ['N', 2]), data: iota([4, 2]) },
      { input: input('ids', ['N', 2], 'int64'), data: iota([4, 2]) },
    ]));
    expect(e.message).toContain("model input 'ids' [N,2] int64: dtype float32 does not match int64");
  });
});
