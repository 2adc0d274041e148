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

  it('matches a left-to-right scan on float32 data of every length, down to the sign of a zero extreme', () => {
    const naive = (x: Float32Array) => {
      let lo = Infinity, hi = -Infinity, bad = 0;
      for (const v of x) { if (!Number.isFinite(v)) { bad++; continue; } lo = v < lo ? v : lo; hi = v > hi ? v : hi; }
      return { min: lo, max: hi, nonFinite: bad };
    };
    const r = seeded(62);
    for (let len = 0; len < 40; len++) {
      const x = r.fill(len, r.laplace);
      const cases = [x, x.map((v) => (v > 0 ? 0 : -0)), x.map((v) => (v > 0.5 ? -0 : 0)), x.map((v, i) => (i % 7 === 3 ? NaN : i % 11 === 5 ? -Infinity : v))];
      for (const c of cases) {
        const got = finiteExtent(c), want = naive(c);
        expect(Object.is(got.min, want.min) && Object.is(got.max, want.max) && got.nonFinite === want.nonFinite).toBe(true);
        expect(finiteExtent(Array.from(c))).toEqual(want);
      }
    }
  });
});
