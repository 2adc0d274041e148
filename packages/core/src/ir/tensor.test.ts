import { describe, expect, it } from 'vitest';
import { isQtkError } from '../errors/QtkError.js';
import { Tensor } from './tensor.js';
import { resolveTensorArgs } from './tensorArgs.js';

/** Runs `f`, expecting a QtkError of `code` whose message matches `message`. */
function expectQtkError(f: () => unknown, code: string, message: RegExp): void {
  let err: unknown;
  try { f(); } catch (e) { err = e; }
  expect(isQtkError(err) && err.code === code, `expected ${code}, got ${String(err)}`).toBe(true);
  expect((err as Error).message).toMatch(message);
}

describe('Tensor constructor in onnxruntime order (type, data, dims)', () => {
  it('keeps typed storage without copying and takes dims third', () => {
    const data = Float32Array.of(1, 2, 3, 4, 5, 6);
    const t = new Tensor('float32', data, [2, 3]);
    expect(t.data).toBe(data);
    expect(t.dims).toEqual([2, 3]);
    expect(t.get(5)).toBe(6);
  });

  it('makes a 1-D tensor of data.length elements when dims are omitted', () => {
    expect(new Tensor('int32', Int32Array.of(7, 8, 9)).dims).toEqual([3]);
    expect(new Tensor('float32', [0.5, 1.5]).dims).toEqual([2]);
    expect(Tensor.fromFloat32([1, 2, 3, 4]).dims).toEqual([4]);
  });

  it('encodes plain numbers, bigints and booleans into the dtype storage', () => {
    const i64 = new Tensor('int64', [1, -2.7, 2 ** 70], [3]);
    expect(i64.data).toBeInstanceOf(BigInt64Array);
    expect([...(i64.data as BigInt64Array)]).toEqual([1n, -2n, 2n ** 63n - 1n]);
    expect([...(new Tensor('uint64', [5n, 6n]).data as BigUint64Array)]).toEqual([5n, 6n]);
    const b = new Tensor('bool', [true, false, true]);
    expect([...(b.data as Uint8Array)]).toEqual([1, 0, 1]);
    expect(new Tensor('uint8', [3, 300.9]).toNumbers()).toEqual([3, 44]);
  });

  it('builds a scalar from one element and dims []', () => {
    const s = new Tensor('float32', Float32Array.of(2.5), []);
    expect(s.dims).toEqual([]);
    expect(s.size).toBe(1);
  });

  it('reads two plain number arrays as (data, dims), never as the old (dims, data)', () => {
    // Valid in both readings: (data [1,1,2], dims [3,1]) or (dims [1,1,2], data [3,1]).
    const t = new Tensor('float32', [1, 1, 2], [3, 1]);
    expect(t.dims).toEqual([3, 1]);
    expect(t.toNumbers()).toEqual([1, 1, 2]);
    expect(resolveTensorArgs('float32', [1, 1, 2], [3, 1]).deprecatedOrder).toBe(false);
  });

  it('keeps string tensors as UTF-8 byte arrays and sizes packed int4 storage in bytes', () => {
    const utf8 = new TextEncoder();
    const s = new Tensor('string', [utf8.encode('a'), utf8.encode('bc')], [2]);
    expect(s.dims).toEqual([2]);
    const q = new Tensor('int4', new Uint8Array(2), [3]);
    expect(q.size).toBe(3);
  });
});

describe('Tensor constructor in the deprecated order (dtype, dims, data)', () => {
  it('still builds the same tensor as the new order, flagged as deprecated by the resolver', () => {
    const data = Float32Array.of(1, 2, 3, 4, 5, 6);
    const old = new Tensor('float32', [3, 2], data); // tensor-order: keep
    expect(old.dims).toEqual([3, 2]);
    expect(old.data).toBe(data);
    expect(old).toEqual(new Tensor('float32', data, [3, 2]));
    expect(resolveTensorArgs('float32', [3, 2], data).deprecatedOrder).toBe(true);
  });

  it('reads a scalar, an int64 tensor and a string tensor in the old order', () => {
    expect(new Tensor('int64', [], BigInt64Array.of(4n)).get(0)).toBe(4); // tensor-order: keep
    expect(new Tensor('float32', [0], new Float32Array(0)).size).toBe(0); // tensor-order: keep
    expect(new Tensor('string', [1], [new Uint8Array([104])]).dims).toEqual([1]); // tensor-order: keep
  });

  it('still accepts Tensor.fromFloat32(dims, data)', () => {
    const t = Tensor.fromFloat32([2, 1], Float32Array.of(3, 4)); // tensor-order: keep
    expect(t.dims).toEqual([2, 1]);
    expect(t.toNumbers()).toEqual([3, 4]);
  });
});

describe('Tensor constructor errors', () => {
  it('throws E_SHAPE naming data length and dims when sizes differ, in either order', () => {
    expectQtkError(() => new Tensor('float32', new Float32Array(5), [2, 3]), 'E_SHAPE', /data of 5 elements does not fit dims \[2,3\]/);
    expectQtkError(() => new Tensor('float32', [2, 3], new Float32Array(5)), 'E_SHAPE', /does not fit dims \[2,3\]/); // tensor-order: keep
    expectQtkError(() => Tensor.fromFloat32(new Float32Array(3), [2]), 'E_SHAPE', /3 elements does not fit dims \[2\]/);
    expectQtkError(() => new Tensor('uint4', new Uint8Array(3), [3]), 'E_SHAPE', /3 bytes does not fit dims \[3\] \(needs 2\)/);
  });

  it('throws E_SHAPE for negative or fractional dims', () => {
    expectQtkError(() => new Tensor('float32', new Float32Array(2), [-1, -2]), 'E_SHAPE', /invalid dimension -1/);
    expectQtkError(() => new Tensor('float32', new Float32Array(2), [2.5]), 'E_SHAPE', /invalid dimension 2.5/);
  });

  it('throws E_SHAPE when neither argument can be dims', () => {
    expectQtkError(() => new Tensor('float32', new Float32Array(2), new Float32Array(2) as never), 'E_SHAPE', /neither an array of dims/); // tensor-order: keep
  });

  it('throws E_DTYPE for values the dtype cannot hold', () => {
    expectQtkError(() => new Tensor('float16', [1, 2]), 'E_DTYPE', /float16 tensor cannot hold these values/);
    expectQtkError(() => new Tensor('int32', [1n, 2n]), 'E_DTYPE', /int32 tensor cannot hold/);
    expectQtkError(() => new Tensor('float32', [1, 'x'] as never), 'E_DTYPE', /cannot hold/); // tensor-order: keep
  });

  it('asks for dims when packed 4-bit storage comes without them', () => {
    expectQtkError(() => new Tensor('int4', new Uint8Array(2)), 'E_SHAPE', /packed int4 storage of 2 bytes needs explicit dims/);
  });
});
