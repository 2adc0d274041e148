import { describe, expect, test } from 'vitest';
import { QtkError, type QtkErrorCode } from '../errors/QtkError.js';
import { computeQParams, quantRange } from './qparams.js';
import { expectQtkError } from '../test-support/expectQtkError.js';

const f = Math.fround;


describe('quantRange', () => {
  test('full ranges of every supported dtype', () => {
    expect(quantRange({ dtype: 'int8', symmetric: false })).toEqual([-128, 127]);
    expect(quantRange({ dtype: 'uint8', symmetric: true })).toEqual([0, 255]);
    expect(quantRange({ dtype: 'int16', symmetric: false })).toEqual([-32768, 32767]);
    expect(quantRange({ dtype: 'uint16', symmetric: false })).toEqual([0, 65535]);
    expect(quantRange({ dtype: 'int4', symmetric: false })).toEqual([-8, 7]);
    expect(quantRange({ dtype: 'uint4', symmetric: false })).toEqual([0, 15]);
  });

  test('reduceRange takes one bit off: int8 [-64, 63], uint8 [0, 127], int4 [-4, 3]', () => {
    expect(quantRange({ dtype: 'int8', symmetric: false, reduceRange: true })).toEqual([-64, 63]);
    expect(quantRange({ dtype: 'uint8', symmetric: false, reduceRange: true })).toEqual([0, 127]);
    expect(quantRange({ dtype: 'int4', symmetric: true, reduceRange: true })).toEqual([-4, 3]);
    expect(quantRange({ dtype: 'uint16', symmetric: false, reduceRange: true })).toEqual([0, 32767]);
  });

  test('narrowRange drops the lowest signed value (int8 [-127, 127]) and the highest unsigned one (uint8 [0, 254])', () => {
    expect(quantRange({ dtype: 'int8', symmetric: true, narrowRange: true })).toEqual([-127, 127]);
    expect(quantRange({ dtype: 'int4', symmetric: true, narrowRange: true })).toEqual([-7, 7]);
    expect(quantRange({ dtype: 'uint8', symmetric: true, narrowRange: true })).toEqual([0, 254]);
    expect(quantRange({ dtype: 'int8', symmetric: true, narrowRange: true, reduceRange: true })).toEqual([-63, 63]);
  });

  test('non-quantizable dtypes throw E_DTYPE naming the dtype', () => {
    expectQtkError(() => quantRange({ dtype: 'float32', symmetric: false }), 'E_DTYPE', 'float32');
    expectQtkError(() => quantRange({ dtype: 'int32', symmetric: false }), 'E_DTYPE', 'int32');
  });
});

describe('computeQParams', () => {
  test('asymmetric uint8 over [-1, 3]: scale 4/255, zero point round(63.75) = 64', () => {
    const { scale, zeroPoint } = computeQParams([-1], [3], { dtype: 'uint8', symmetric: false });
    expect(scale[0]).toBe(f(4 / 255));
    expect(zeroPoint[0]).toBe(64);
  });

  test('asymmetric int8 over [-1, 3]: scale 4/255, zero point round(-128 + 63.75) = -64', () => {
    const { scale, zeroPoint } = computeQParams([-1], [3], { dtype: 'int8', symmetric: false });
    expect(scale[0]).toBe(f(4 / 255));
    expect(zeroPoint[0]).toBe(-64);
  });

  test('the range is widened to contain 0: [2, 5] uint8 gives scale 5/255 and zero point 0', () => {
    const { scale, zeroPoint } = computeQParams([2], [5], { dtype: 'uint8', symmetric: false });
    expect(scale[0]).toBe(f(5 / 255));
    expect(zeroPoint[0]).toBe(0);
    const neg = computeQParams([-6], [-2], { dtype: 'int8', symmetric: false });
    expect(neg.scale[0]).toBe(f(6 / 255));
    expect(neg.zeroPoint[0]).toBe(127);
  });

  test('symmetric int8 over [-1, 3]: absmax 3, scale 6/255, zero point 0', () => {
    const { scale, zeroPoint } = computeQParams([-1], [3], { dtype: 'int8', symmetric: true });
    expect(scale[0]).toBe(f(6 / 255));
    expect(zeroPoint[0]).toBe(0);
  });

  test('symmetric narrow int8 over [-4, 2]: scale 8/254, zero point 0', () => {
    const { scale, zeroPoint } = computeQParams([-4], [2], { dtype: 'int8', symmetric: true, narrowRange: true });
    expect(scale[0]).toBe(f(8 / 254));
    expect(zeroPoint[0]).toBe(0);
  });

  test('symmetric unsigned zero points are the rounded midpoint: uint8 128, uint16 32768, uint4 8', () => {
    expect(computeQParams([-1], [1], { dtype: 'uint8', symmetric: true }).zeroPoint[0]).toBe(128);
    expect(computeQParams([-1], [1], { dtype: 'uint16', symmetric: true }).zeroPoint[0]).toBe(32768);
    expect(computeQParams([-1], [1], { dtype: 'uint4', symmetric: true }).zeroPoint[0]).toBe(8);
    expect(computeQParams([-1], [1], { dtype: 'uint8', symmetric: true, narrowRange: true }).zeroPoint[0]).toBe(127);
  });

  test('reduceRange uint8 over [-1, 3]: scale 4/127, zero point round(31.75) = 32', () => {
    const { scale, zeroPoint } = computeQParams([-1], [3], { dtype: 'uint8', symmetric: false, reduceRange: true });
    expect(scale[0]).toBe(f(4 / 127));
    expect(zeroPoint[0]).toBe(32);
  });

  test('reduceRange int8 symmetric over [-2, 1]: scale 4/127, zero point 0', () => {
    const { scale, zeroPoint } = computeQParams([-2], [1], { dtype: 'int8', symmetric: true, reduceRange: true });
    expect(scale[0]).toBe(f(4 / 127));
    expect(zeroPoint[0]).toBe(0);
  });

  test('int4 asymmetric over [0, 1.5]: scale 0.1, zero point -8; int4 symmetric narrow over [-0.7, 0.35]: scale 0.1, zero point 0', () => {
    const a = computeQParams([0], [1.5], { dtype: 'int4', symmetric: false });
    expect(a.scale[0]).toBe(f(f(1.5) / 15));
    expect(a.zeroPoint[0]).toBe(-8);
    const s = computeQParams([-0.7], [0.35], { dtype: 'int4', symmetric: true, narrowRange: true });
    expect(s.scale[0]).toBe(f((2 * f(0.7)) / 14));
    expect(s.zeroPoint[0]).toBe(0);
  });

  test('uint4 asymmetric over [-1, 2]: scale 0.2, zero point 5', () => {
    const { scale, zeroPoint } = computeQParams([-1], [2], { dtype: 'uint4', symmetric: false });
    expect(scale[0]).toBe(f(3 / 15));
    expect(zeroPoint[0]).toBe(5);
  });

  test('a zero range gives scale 1 (never 0 or NaN) and zero point 0, the midpoint when symmetric', () => {
    const a = computeQParams([0], [0], { dtype: 'uint8', symmetric: false });
    expect([a.scale[0], a.zeroPoint[0]]).toEqual([1, 0]);
    const s8 = computeQParams([0], [0], { dtype: 'int8', symmetric: true });
    expect([s8.scale[0], s8.zeroPoint[0]]).toEqual([1, 0]);
    const su8 = computeQParams([0], [0], { dtype: 'uint8', symmetric: true });
    expect([su8.scale[0], su8.zeroPoint[0]]).toEqual([1, 128]);
    const tiny = computeQParams([0], [1e-45], { dtype: 'int8', symmetric: false });
    expect([tiny.scale[0], tiny.zeroPoint[0]]).toEqual([1, 0]);
  });

  test('per-channel: one scale and zero point per min/max pair', () => {
    const { scale, zeroPoint } = computeQParams([-1, 0, -2], [3, 0, 2], { dtype: 'uint8', symmetric: false });
    expect(Array.from(scale)).toEqual([f(4 / 255), 1, f(4 / 255)]);
    expect(Array.from(zeroPoint)).toEqual([64, 0, 128]);
  });

  test('the zero point stays inside [qmin, qmax] and the scale is a float32 value', () => {
    const { scale, zeroPoint } = computeQParams([-1e-3, -7.3], [1e-3, 1e9], { dtype: 'int8', symmetric: false });
    for (let c = 0; c < 2; c++) {
      expect(zeroPoint[c]).toBeGreaterThanOrEqual(-128);
      expect(zeroPoint[c]).toBeLessThanOrEqual(127);
      expect(f(scale[c]!)).toBe(scale[c]);
      expect(scale[c]).toBeGreaterThan(0);
    }
  });

  test('non-finite min or max throws E_OBSERVER naming the channel', () => {
    expectQtkError(() => computeQParams([NaN], [1], { dtype: 'int8', symmetric: false }), 'E_OBSERVER', 'not finite');
    expectQtkError(() => computeQParams([0, -1], [1, Infinity], { dtype: 'int8', symmetric: true }), 'E_OBSERVER', 'channel 1');
    expectQtkError(() => computeQParams([Infinity], [-Infinity], { dtype: 'uint8', symmetric: false }), 'E_OBSERVER', 'not finite');
    expectQtkError(() => computeQParams([0], [1e39], { dtype: 'uint8', symmetric: false }), 'E_OBSERVER', 'float32');
  });

  test('min above max throws E_OBSERVER', () => {
    expectQtkError(() => computeQParams([2], [1], { dtype: 'int8', symmetric: false }), 'E_OBSERVER', 'inverted');
  });

  test('min/max of different or zero length throw E_SHAPE; an unsupported dtype throws E_DTYPE', () => {
    expectQtkError(() => computeQParams([0, 1], [1], { dtype: 'int8', symmetric: false }), 'E_SHAPE', '2 and 1');
    expectQtkError(() => computeQParams([], [], { dtype: 'int8', symmetric: false }), 'E_SHAPE');
    expectQtkError(() => computeQParams([0], [1], { dtype: 'float16', symmetric: false }), 'E_DTYPE', 'float16');
  });
});
