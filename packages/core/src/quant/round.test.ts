import { describe, expect, test } from 'vitest';
import { isQtkError } from '../errors/QtkError.js';
import { roundHalfToEven, saturate } from './round.js';

describe('roundHalfToEven', () => {
  test('ties go to the even neighbour, positive and negative', () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, -3.5].map(roundHalfToEven)).toEqual([0, 2, 2, 4, -0, -2, -2, -4].map((v) => v + 0));
  });

  test('non-ties round to the nearest integer', () => {
    expect([0.49, 0.51, 2.4999, -2.51, -7.2, 1e6 + 0.7].map(roundHalfToEven)).toEqual([0, 1, 2, -3, -7, 1e6 + 1]);
  });

  test('integers, values beyond 2^52 and non-finite values come back unchanged', () => {
    expect(roundHalfToEven(17)).toBe(17);
    expect(roundHalfToEven(2 ** 53 + 2)).toBe(2 ** 53 + 2);
    expect(roundHalfToEven(-(2 ** 60))).toBe(-(2 ** 60));
    expect(roundHalfToEven(Infinity)).toBe(Infinity);
    expect(roundHalfToEven(-Infinity)).toBe(-Infinity);
    expect(roundHalfToEven(NaN)).toBeNaN();
  });

  test('float32 ties as QuantizeLinear sees them (x / scale = k + 0.5) round to even', () => {
    const x = Math.fround(2.5 * 0.1);
    expect(roundHalfToEven(Math.fround(x / Math.fround(0.1)))).toBe(2);
  });
});

describe('saturate', () => {
  test('clamps into the dtype range and leaves in-range values alone', () => {
    expect(saturate(300, 'uint8')).toBe(255);
    expect(saturate(-3, 'uint8')).toBe(0);
    expect(saturate(200, 'int8')).toBe(127);
    expect(saturate(-200, 'int8')).toBe(-128);
    expect(saturate(9, 'int4')).toBe(7);
    expect(saturate(-9, 'int4')).toBe(-8);
    expect(saturate(16, 'uint4')).toBe(15);
    expect(saturate(70000, 'int16')).toBe(32767);
    expect(saturate(42, 'uint16')).toBe(42);
  });

  test('a dtype without an integer range throws QtkError E_DTYPE', () => {
    let err: unknown;
    try {
      saturate(1, 'float32');
    } catch (e) {
      err = e;
    }
    expect(isQtkError(err, 'E_DTYPE')).toBe(true);
  });
});
