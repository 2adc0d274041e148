import { describe, expect, test } from 'vitest';
import { QtkError } from '../../errors/QtkError.js';
import { Tensor } from '../../ir/tensor.js';
import { qlinearMatMul } from './qlinearMatMul.js';
import { roundHalfToEven } from '../round.js';
import { ints, u8, i8 } from '../../test-support/ints.js';


const f32 = (dims: number[], v: number[]) => Tensor.fromFloat32(Float32Array.from(v), dims);

describe('qlinearMatMul', () => {
  const M = 3, K = 5, N = 4;
  const a = ints(M * K, 0, 255, 1), b = ints(K * N, -128, 127, 2);
  const sa = 0.02, za = 120, sb = [0.011, 0.007, 0.013, 0.009], zb = [0, 3, -4, 1], sy = 0.25, zy = 10;
  const y = qlinearMatMul({
    a: u8([M, K], a), aScale: f32([], [sa]), aZeroPoint: u8([], [za]),
    b: i8([K, N], b), bScale: f32([N], sb), bZeroPoint: i8([N], zb),
    yScale: f32([], [sy]), yZeroPoint: i8([], [zy]),
  });
  /** Real-valued product of the dequantized inputs. */
  const real = (m: number, n: number) => {
    let acc = 0;
    for (let k = 0; k < K; k++) acc += (a[m * K + k]! - za) * Math.fround(sa) * (b[k * N + n]! - zb[n]!) * Math.fround(sb[n]!);
    return acc;
  };

  test('per-column B scales: output is int8 [3, 4] and equals the float32 requantization formula', () => {
    expect(y.dtype).toBe('int8');
    expect([...y.dims]).toEqual([M, N]);
    const want: number[] = [];
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++) {
        let acc = 0;
        for (let k = 0; k < K; k++) acc += (a[m * K + k]! - za) * (b[k * N + n]! - zb[n]!);
        const mult = Math.fround(Math.fround(Math.fround(sa) * Math.fround(sb[n]!)) / sy);
        want.push(Math.min(127, Math.max(-128, roundHalfToEven(Math.fround(acc * mult)) + zy)));
      }
    }
    expect(y.toNumbers()).toEqual(want);
  });

  test('dequantized output is within half an output step (+1e-5) of the real product where not saturated', () => {
    const q = y.toNumbers();
    let checked = 0;
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++) {
        const v = q[m * N + n]!;
        if (v === -128 || v === 127) continue;
        checked++;
        expect(Math.abs((v - zy) * sy - real(m, n))).toBeLessThanOrEqual(sy / 2 + 1e-5);
      }
    }
    expect(checked).toBeGreaterThan(6);
  });

  test('a zero point whose size differs from its scale throws E_SHAPE', () => {
    let err: unknown;
    try {
      qlinearMatMul({
        a: u8([1, 2], [1, 2]), aScale: f32([], [1]), aZeroPoint: u8([], [0]),
        b: u8([2, 2], [1, 2, 3, 4]), bScale: f32([2], [1, 1]), bZeroPoint: u8([], [0]),
        yScale: f32([], [1]), yZeroPoint: u8([], [0]),
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QtkError);
    expect((err as QtkError).code).toBe('E_SHAPE');
  });
});
