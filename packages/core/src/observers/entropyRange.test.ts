import { describe, expect, it } from 'vitest';
import { entropyThreshold } from './entropyRange.js';
import type { HistogramView } from './fixedWidthHistogram.js';
import { seeded } from './test-support/seeded.js';

/**
 * The TensorRT procedure written out literally on explicit P and Q arrays, O(n²):
 * the oracle the prefix-sum implementation must agree with.
 */
function literalEntropyBin(counts: number[], nq: number, startBin: number): number {
  const c = counts.slice();
  c[0] = c[1]!;
  let best = Infinity, bestI = -1;
  for (let i = startBin; i <= c.length; i++) {
    const p = c.slice(0, i);
    p[i - 1]! += c.slice(i).reduce((a, b) => a + b, 0);
    const group = (j: number) => Math.floor((j * nq) / i);
    const qSum = new Array<number>(nq).fill(0), nz = new Array<number>(nq).fill(0);
    for (let j = 0; j < i; j++) { qSum[group(j)]! += c[j]!; if (p[j] !== 0) nz[group(j)]!++; }
    const q = p.map((pj, j) => (pj !== 0 ? qSum[group(j)]! / nz[group(j)]! : 0));
    const ps = p.reduce((a, b) => a + b, 0), qs = q.reduce((a, b) => a + b, 0);
    let kl = 0;
    for (let j = 0; j < i; j++) {
      if (p[j] === 0) continue;
      kl += q[j] === 0 ? Infinity : (p[j]! / ps) * Math.log((p[j]! / ps) / (q[j]! / qs));
    }
    if (kl <= best) { best = kl; bestI = i; }
  }
  return bestI;
}

function view(counts: number[], width: number): HistogramView {
  return { counts: Float64Array.from(counts), base: 0, width, min: 0, max: counts.length * width, total: counts.reduce((a, b) => a + b, 0) };
}

describe('entropyThreshold', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`agrees with the literal TensorRT KL search on a half-normal histogram with gaps and outliers (seed ${seed})`, () => {
      const r = seeded(seed);
      const n = 700;
      const counts = new Array<number>(n).fill(0);
      for (let k = 0; k < 50_000; k++) {
        const b = Math.floor(Math.abs(r.normal()) * 60);
        if (b < n) counts[b]!++;
      }
      for (let k = 0; k < 40; k++) counts[300 + Math.floor(r.uniform() * 400)]!++; // sparse outliers
      for (let j = 0; j < n; j += 7 + seed) counts[j] = 0; // empty bins inside the bulk
      const want = literalEntropyBin(counts, 32, 32);
      const t = entropyThreshold(view(counts, 0.5), { bins: n, quantizedBins: 32, startBin: 32 });
      expect(t).toBe(want * 0.5);
    });
  }

  it('never picks a threshold whose last quantized group is empty while outliers lie beyond it', () => {
    // Mass in bins [0, 100) and one far value in bin 399: candidates 101..399 leave that
    // value as an outlier with an empty last group unless the group reaches bin < 100.
    const counts = new Array<number>(400).fill(0);
    for (let j = 0; j < 100; j++) counts[j] = 1000 - j * 5;
    counts[399] = 1;
    const i = entropyThreshold(view(counts, 1), { bins: 400, quantizedBins: 16, startBin: 16 });
    expect(Number.isFinite(i)).toBe(true);
    expect(i).toBe(literalEntropyBin(counts, 16, 16));
  });

  it('returns the largest |x| when the histogram has fewer bins than startBin', () => {
    const t = entropyThreshold(view([5, 4, 3, 2, 1], 1), { bins: 5, quantizedBins: 2, startBin: 128 });
    expect(t).toBe(5);
  });

  it('keeps at least 99.9 % of the values of a sparse histogram of 17 discrete levels (image pixels /16)', () => {
    // Pixel values k/16: KL alone would pick the first candidate, cutting off most pixels.
    const counts = new Array<number>(2049).fill(0);
    for (let k = 0; k <= 16; k++) { counts[k * 128] = k === 0 ? 9000 : 600 - k * 20; counts[k * 128 + 1] = 7 * k; }
    const total = counts.reduce((a, b) => a + b, 0);
    const t = entropyThreshold(view(counts, 1 / 2048), { bins: 2049, quantizedBins: 128, startBin: 128 });
    const kept = counts.reduce((a, c, j) => a + (j / 2048 < t ? c : 0), 0);
    expect(kept / total).toBeGreaterThanOrEqual(0.999);
  });

  it('still clips rare outliers (under 0.1 % of values) of a dense distribution', () => {
    const r = seeded(9);
    const counts = new Array<number>(2048).fill(0);
    for (let k = 0; k < 100_000; k++) counts[Math.min(2047, Math.floor(Math.abs(r.normal()) * 100))]!++;
    for (let k = 0; k < 20; k++) counts[1500 + k * 20]!++;
    const t = entropyThreshold(view(counts, 0.01), { bins: 2048, quantizedBins: 128, startBin: 128 });
    expect(t).toBeLessThan(15);
  });
});
