import { describe, expect, test } from 'vitest';
import { QtkError, type QtkErrorCode } from '../../errors/QtkError.js';
import { Tensor, sizeOf } from '../../ir/tensor.js';
import { matMulInteger } from './matMulInteger.js';
import { expectQtkError } from '../../test-support/expectQtkError.js';
import { ints, u8, i8 } from '../../test-support/ints.js';




/** Element of a row-major tensor at `coord`, broadcasting dims of size 1. */
function at(values: number[], dims: number[], coord: number[]): number {
  let idx = 0;
  const off = coord.length - dims.length;
  for (let d = 0; d < dims.length; d++) idx = idx * dims[d]! + (dims[d] === 1 ? 0 : coord[d + off]!);
  return values[idx]!;
}

/** numpy-style matmul of (A - za) and (B - zb) over rank >= 2 operands, straight from coordinates. */
function naive(a: number[], aDims: number[], b: number[], bDims: number[], za: (m: number) => number, zb: (n: number) => number): { dims: number[]; values: number[] } {
  const M = aDims.at(-2)!, K = aDims.at(-1)!, N = bDims.at(-1)!;
  const lead: number[] = [];
  const rank = Math.max(aDims.length, bDims.length) - 2;
  for (let i = 0; i < rank; i++) {
    const da = aDims[i - (rank - (aDims.length - 2))] ?? 1;
    const db = bDims[i - (rank - (bDims.length - 2))] ?? 1;
    lead.push(Math.max(da, db));
  }
  const dims = [...lead, M, N];
  const values: number[] = [];
  for (let i = 0; i < sizeOf(dims); i++) {
    const coord: number[] = [];
    let rest = i;
    for (let d = dims.length - 1; d >= 0; d--) { coord[d] = rest % dims[d]!; rest = Math.floor(rest / dims[d]!); }
    const m = coord.at(-2)!, n = coord.at(-1)!;
    let acc = 0;
    for (let k = 0; k < K; k++) {
      const ca = [...coord.slice(0, -2), m, k];
      const cb = [...coord.slice(0, -2), k, n];
      acc += (at(a, aDims, ca) - za(m)) * (at(b, bDims, cb) - zb(n));
    }
    values.push(acc);
  }
  return { dims, values };
}

describe('matMulInteger', () => {
  test('broadcasts batch dims like numpy: A [2,1,2,3] x B [3,3,2] gives int32 [2,3,2,2] equal to a naive loop', () => {
    const a = ints(12, 0, 255, 1), b = ints(18, 0, 255, 2);
    const y = matMulInteger({ a: u8([2, 1, 2, 3], a), b: u8([3, 3, 2], b), aZeroPoint: u8([], [100]), bZeroPoint: u8([], [7]) });
    const want = naive(a, [2, 1, 2, 3], b, [3, 3, 2], () => 100, () => 7);
    expect(y.dtype).toBe('int32');
    expect([...y.dims]).toEqual(want.dims);
    expect(y.toNumbers()).toEqual(want.values);
  });

  test('per-row A zero points [M] and per-column B zero points [N] with int8 data match a naive loop', () => {
    const a = ints(8, -128, 127, 3), b = ints(12, -128, 127, 4);
    const za = [3, -5], zb = [0, 10, -20];
    const y = matMulInteger({ a: i8([2, 4], a), b: i8([4, 3], b), aZeroPoint: i8([2], za), bZeroPoint: i8([3], zb) });
    expect(y.toNumbers()).toEqual(naive(a, [2, 4], b, [4, 3], (m) => za[m]!, (n) => zb[n]!).values);
  });

  test('per-batch-row A zero points of dims [B, M, 1] apply per batch', () => {
    const a = ints(12, 0, 255, 5), b = ints(6, 0, 255, 6);
    const y = matMulInteger({ a: u8([2, 2, 3], a), b: u8([3, 2], b), aZeroPoint: u8([2, 2, 1], [1, 2, 3, 4]) });
    const first = naive(a.slice(0, 6), [2, 3], b, [3, 2], (m) => [1, 2][m]!, () => 0).values;
    const second = naive(a.slice(6), [2, 3], b, [3, 2], (m) => [3, 4][m]!, () => 0).values;
    expect(y.toNumbers()).toEqual([...first, ...second]);
  });

  test('1-D operands are promoted and their dim dropped: [3]x[3,2] -> [2], [2,3]x[3] -> [2], [3]x[3] -> []', () => {
    const v = [1, 2, 3];
    const m = [1, 2, 3, 4, 5, 6];
    const r1 = matMulInteger({ a: u8([3], v), b: u8([3, 2], m) });
    expect([...r1.dims]).toEqual([2]);
    expect(r1.toNumbers()).toEqual([22, 28]);
    const r2 = matMulInteger({ a: u8([2, 3], m), b: u8([3], v) });
    expect([...r2.dims]).toEqual([2]);
    expect(r2.toNumbers()).toEqual([14, 32]);
    const r3 = matMulInteger({ a: u8([3], v), b: u8([3], v) });
    expect([...r3.dims]).toEqual([]);
    expect(r3.toNumbers()).toEqual([14]);
  });

  test('bad inputs: K mismatch and non-broadcasting batches throw E_SHAPE, zero point dtype/size and float inputs throw', () => {
    expectQtkError(() => matMulInteger({ a: u8([2, 3], ints(6, 0, 9, 1)), b: u8([4, 2], ints(8, 0, 9, 1)) }), 'E_SHAPE', 'K=3');
    expectQtkError(() => matMulInteger({ a: u8([2, 1, 3], ints(6, 0, 9, 1)), b: u8([3, 3, 1], ints(9, 0, 9, 1)) }), 'E_SHAPE', 'broadcast');
    expectQtkError(() => matMulInteger({ a: u8([1, 2], [1, 2]), b: u8([2, 1], [1, 2]), aZeroPoint: i8([], [0]) }), 'E_DTYPE', 'must match');
    expectQtkError(() => matMulInteger({ a: u8([2, 2], [1, 2, 3, 4]), b: u8([2, 1], [1, 2]), aZeroPoint: u8([3], [0, 0, 0]) }), 'E_SHAPE', 'expected 1, 2');
    expectQtkError(() => matMulInteger({ a: Tensor.fromFloat32(Float32Array.of(1), [1, 1]), b: u8([1, 1], [1]) }), 'E_DTYPE', 'float32');
  });
});
