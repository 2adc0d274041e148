import { describe, expect, it } from 'vitest';
import { FixedWidthHistogram } from './fixedWidthHistogram.js';
import { mseRange } from './mseRange.js';
import { seeded } from './test-support/seeded.js';

/** A histogram view of `x` at roughly `bins` bins. */
function viewOf(x: Float32Array, bins = 2048) {
  const h = new FixedWidthHistogram(bins);
  h.add(x);
  return h.view()!;
}

describe('mseRange', () => {
  it('the coarse-then-fine search lands on the exhaustive search\'s range (within one bin) on a skewed heavy tail', () => {
    const r = seeded(51);
    const x = r.fill(200_000, () => (r.uniform() < 0.7 ? Math.abs(r.laplace()) * 2 : -Math.abs(r.normal())));
    const v = viewOf(x, 512);
    const fast = mseRange(v, { steps: 255, searchBins: 32 });
    const exhaustive = mseRange(v, { steps: 255, searchBins: 1 << 30 });
    expect(Math.abs(fast[0] - exhaustive[0])).toBeLessThanOrEqual(v.width);
    expect(Math.abs(fast[1] - exhaustive[1])).toBeLessThanOrEqual(v.width);
    // The tail is clipped, the range stays asymmetric.
    expect(exhaustive[1]).toBeLessThan(v.max);
    expect(exhaustive[1]).toBeGreaterThan(-2 * exhaustive[0]);
  });

  it('symmetric search returns [-t, t] clipped to the data, and t shrinks with fewer steps', () => {
    const r = seeded(52);
    const x = r.fill(200_000, r.laplace);
    const v = viewOf(x);
    const [lo8, hi8] = mseRange(v, { steps: 254, symmetric: true, searchBins: 256 });
    const [, hi4] = mseRange(v, { steps: 14, symmetric: true, searchBins: 256 });
    expect(lo8).toBe(-hi8);
    expect(hi8).toBeLessThan(Math.max(-v.min, v.max));
    expect(hi4).toBeLessThan(hi8);
  });

  it('for data on one side of 0 the other end stays at 0', () => {
    const r = seeded(53);
    const x = r.fill(50_000, () => 1 + Math.abs(r.laplace()));
    const [lo, hi] = mseRange(viewOf(x), { steps: 255, searchBins: 256 });
    expect(lo).toBe(0);
    expect(hi).toBeGreaterThan(1);
    const [nlo, nhi] = mseRange(viewOf(x.map((v) => -v)), { steps: 255, searchBins: 256 });
    expect(nhi).toBe(0);
    expect(nlo).toBeCloseTo(-hi, 5);
  });
});
