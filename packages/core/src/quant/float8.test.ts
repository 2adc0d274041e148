import { describe, expect, it } from 'vitest';
import { float32ToFloat8e4m3fn, float8e4m3fnToFloat32 } from '../ir/floatBits.js';
import { Tensor } from '../ir/tensor.js';
import { expectQtkError } from '../test-support/expectQtkError.js';
import { encodeFloat8e4m3fn, FLOAT8E4M3FN_MAX, FLOAT8E4M3FN_NAN } from './float8.js';
import { float8QParams } from './float8QParams.js';
import { computeQParams } from './qparams.js';
import { dequantizeTensor, fakeQuantize, quantizeTensor } from './quantize.js';

/** The value of a float8e4m3fn code. */
const value = (code: number) => float8e4m3fnToFloat32(code);

describe('encodeFloat8e4m3fn (ONNX QuantizeLinear saturate=1 rounding)', () => {
  it('maps every finite float8 value to its own code, both signs', () => {
    for (let c = 0; c <= 0x7e; c++) {
      expect(encodeFloat8e4m3fn(value(c))).toBe(c);
      expect(encodeFloat8e4m3fn(-value(c))).toBe(c | 0x80);
    }
  });

  it('rounds normal ties to the even mantissa: 17 → 16, 19 → 20, 1.0625 → 1, 1.1875 → 1.25', () => {
    expect(value(encodeFloat8e4m3fn(17))).toBe(16);
    expect(value(encodeFloat8e4m3fn(19))).toBe(20);
    expect(value(encodeFloat8e4m3fn(1.0625))).toBe(1);
    expect(value(encodeFloat8e4m3fn(1.1875))).toBe(1.25);
    expect(value(encodeFloat8e4m3fn(-1.1875))).toBe(-1.25);
    // Just off a tie rounds to the nearer value.
    expect(value(encodeFloat8e4m3fn(Math.fround(1.0625 + 2 ** -20)))).toBe(1.125);
  });

  it('rounds subnormals on the 2^-9 grid, ties to even, up into the smallest normal 2^-6', () => {
    expect(encodeFloat8e4m3fn(2 ** -9)).toBe(0x01);
    expect(encodeFloat8e4m3fn(2 ** -10)).toBe(0x00); // tie between 0 and 2^-9 → 0
    expect(encodeFloat8e4m3fn(3 * 2 ** -10)).toBe(0x02); // tie between 1 and 2 (× 2^-9) → 2
    expect(encodeFloat8e4m3fn(5 * 2 ** -10)).toBe(0x02); // tie between 2 and 3 → 2
    expect(encodeFloat8e4m3fn(15 * 2 ** -10)).toBe(0x08); // tie between 7 × 2^-9 and 2^-6 → 2^-6
    expect(value(0x08)).toBe(2 ** -6);
    expect(encodeFloat8e4m3fn(2 ** -11)).toBe(0x00);
    expect(encodeFloat8e4m3fn(-(2 ** -11))).toBe(0x80); // -0 keeps its sign
    expect(encodeFloat8e4m3fn(-0)).toBe(0x80);
  });

  it('saturates beyond ±448, Infinity included, and keeps NaN as NaN', () => {
    expect(FLOAT8E4M3FN_MAX).toBe(448);
    for (const x of [448, 449, 463.9, 464, 480, 1e6, Infinity]) {
      expect(encodeFloat8e4m3fn(x), String(x)).toBe(0x7e);
      expect(encodeFloat8e4m3fn(-x), String(-x)).toBe(0xfe);
    }
    expect(value(0x7e)).toBe(448);
    expect(encodeFloat8e4m3fn(NaN)).toBe(FLOAT8E4M3FN_NAN);
    expect(Number.isNaN(value(FLOAT8E4M3FN_NAN))).toBe(true);
  });

  it('agrees with the table-search reference float32ToFloat8e4m3fn on 20k values across the whole range', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 20_000; i++) {
      const x = Math.fround((rnd() - 0.5) * 2 ** (rnd() * 24 - 12));
      expect(encodeFloat8e4m3fn(x)).toBe(float32ToFloat8e4m3fn(x, true));
    }
    // Every midpoint between neighbouring codes.
    for (let c = 0; c < 0x7e; c++) {
      const mid = Math.fround((value(c) + value(c + 1)) / 2);
      expect(encodeFloat8e4m3fn(mid)).toBe(float32ToFloat8e4m3fn(mid, true));
    }
  });
});

describe('FP8 Q/DQ over tensors', () => {
  it('quantizeTensor divides by the scale in float32, then rounds: 34 at scale 2 is the tie 17 → 16 × 2', () => {
    const x = new Tensor('float32', Float32Array.of(34, 38, -1000, 0.5), [4]);
    const q = quantizeTensor(x, Float32Array.of(2), Int32Array.of(0), 'float8e4m3fn');
    expect(q.dtype).toBe('float8e4m3fn');
    expect(q.toNumbers()).toEqual([16, 20, -448, 0.25]);
    expect(dequantizeTensor(q, Float32Array.of(2), Int32Array.of(0)).toNumbers()).toEqual([32, 40, -896, 0.5]);
  });

  it('per-channel parameters use each channel\'s scale, and fakeQuantize equals dequantize of quantize (NaN stays NaN)', () => {
    const x = new Tensor('float32', Float32Array.of(1, 17, NaN, 3, 0.1, -500), [2, 3]);
    const scale = Float32Array.of(1, 0.5);
    const zp = new Int32Array(2);
    const layout = { axis: 0 };
    const dq = dequantizeTensor(quantizeTensor(x, scale, zp, 'float8e4m3fn', layout), scale, zp, layout).toNumbers();
    const fake = fakeQuantize(x, scale, zp, 'float8e4m3fn', layout).toNumbers();
    expect(fake).toEqual(dq);
    expect(fake[1]).toBe(16);
    expect(Number.isNaN(fake[2])).toBe(true);
    expect(fake[3]).toBe(3);
    expect(fake[5]).toBe(-224); // saturated at 448 × 0.5
  });

  it('refuses a non-zero float8 zero point (E_DTYPE) and a zero scale (E_OPTION)', () => {
    const x = new Tensor('float32', Float32Array.of(1), [1]);
    expectQtkError(() => quantizeTensor(x, Float32Array.of(1), Int32Array.of(3), 'float8e4m3fn'), 'E_DTYPE');
    expectQtkError(() => quantizeTensor(x, Float32Array.of(0), Int32Array.of(0), 'float8e4m3fn'), 'E_OPTION');
  });
});

describe('float8QParams (scale = amax / 448)', () => {
  it('maps each channel\'s amax onto 448 with a zero point of 0, and a zero range to scale 1', () => {
    const { scale, zeroPoint } = computeQParams([-3, 0, -1], [0.5, 0, 8], { dtype: 'float8e4m3fn', symmetric: true });
    expect([...scale]).toEqual([Math.fround(3 / 448), 1, Math.fround(8 / 448)]);
    expect([...zeroPoint]).toEqual([0, 0, 0]);
  });

  it('refuses asymmetric and reduced ranges (E_OPTION) and non-finite ranges (E_OBSERVER)', () => {
    expectQtkError(() => float8QParams([-1], [1], { dtype: 'float8e4m3fn', symmetric: false }), 'E_OPTION');
    expectQtkError(() => float8QParams([-1], [1], { dtype: 'float8e4m3fn', symmetric: true, reduceRange: true }), 'E_OPTION');
    expectQtkError(() => float8QParams([NaN], [1], { dtype: 'float8e4m3fn', symmetric: true }), 'E_OBSERVER');
  });
});
