import { describe, expect, it } from 'vitest';
import { finiteExtent } from './finiteExtent.js';
import { seeded } from './test-support/seeded.js';

describe('finiteExtent', () => {
  it('gives the exact min and max of finite data with no non-finite values', () => {
    const r = seeded(61);
    const x = r.fill(10_001, r.laplace);
    expect(finiteExtent(x)).toEqual({ min: Math.min(...x), max: Math.max(...x), nonFinite: 0 });
  });

  it('skips and counts NaN, +Infinity and -Infinity wherever they are', () => {
    const x = Float32Array.of(NaN, 3, -Infinity, -1, Infinity, 2, NaN);
    expect(finiteExtent(x)).toEqual({ min: -1, max: 3, nonFinite: 4 });
  });

  it('does not mistake the largest float32 values (whose sum is still finite in doubles) for Infinity', () => {
    const big = 3.4028234663852886e38;
    expect(finiteExtent(Float32Array.of(big, big, big, -big))).toEqual({ min: -big, max: big, nonFinite: 0 });
  });

  it('scans only [start, end) and reports nothing finite as +Infinity / -Infinity', () => {
    const x = Float32Array.of(100, 1, 2, NaN, -100);
    expect(finiteExtent(x, 1, 3)).toEqual({ min: 1, max: 2, nonFinite: 0 });
    expect(finiteExtent(x, 3, 4)).toEqual({ min: Infinity, max: -Infinity, nonFinite: 1 });
  });
});
