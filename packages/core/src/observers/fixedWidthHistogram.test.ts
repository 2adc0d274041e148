import { describe, expect, it } from 'vitest';
import { isQtkError } from '../errors/QtkError.js';
import { FixedWidthHistogram, HISTOGRAM_MAX_BINS_FACTOR } from './fixedWidthHistogram.js';
import { seeded } from './test-support/seeded.js';

/** Non-zero counts by grid index (bin k covers [k w, (k+1) w)). */
function gridCounts(h: FixedWidthHistogram): Map<number, number> {
  const v = h.view()!;
  const m = new Map<number, number>();
  v.counts.forEach((c, j) => { if (c) m.set(v.base + j, c); });
  return m;
}

/** Brute-force counts of finite `values` at width `w`. */
function expectedCounts(values: Iterable<number>, w: number): Map<number, number> {
  const m = new Map<number, number>();
  for (const x of values) {
    if (!Number.isFinite(x)) continue;
    const k = Math.floor(x / w);
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

describe('FixedWidthHistogram', () => {
  it('bins every finite value at floor(x / width) with a power-of-two width giving at least targetBins bins over [0, absmax]', () => {
    const r = seeded(1);
    const x = r.fill(10_000, r.normal);
    const h = new FixedWidthHistogram(256);
    h.add(x);
    const w = h.width!;
    expect(Math.log2(w)).toBe(Math.round(Math.log2(w)));
    const absmax = Math.max(...x.map(Math.abs));
    expect(absmax / w).toBeGreaterThanOrEqual(256);
    expect(absmax / w).toBeLessThan(512);
    expect(gridCounts(h)).toEqual(expectedCounts(x, w));
    expect(h.total).toBe(10_000);
    expect(h.extent).toEqual({ min: Math.min(...x), max: Math.max(...x) });
  });

  it('grows to cover new data at the same width and leaves existing counts in place', () => {
    const r = seeded(2);
    const a = r.fill(5000, () => r.uniform() * 2 - 1);
    const b = r.fill(5000, () => r.uniform() * 8 - 3); // [-3, 5): outside the first range
    const h = new FixedWidthHistogram(128);
    h.add(a);
    const w = h.width!;
    const before = gridCounts(h);
    h.add(b);
    expect(h.width).toBe(w);
    const after = gridCounts(h);
    const fromB = expectedCounts(b, w);
    for (const [k, c] of before) expect(after.get(k)).toBe(c + (fromB.get(k) ?? 0));
    expect(after).toEqual(expectedCounts([...a, ...b], w));
  });

  it(`merges adjacent pairs (width doubles) when the covered span would exceed ${HISTOGRAM_MAX_BINS_FACTOR}x the target bins, keeping every count in its value's bin`, () => {
    const r = seeded(3);
    const a = r.fill(2000, () => r.uniform() * 2 - 1);
    const h = new FixedWidthHistogram(16);
    h.add(a);
    const w0 = h.width!;
    const far = Float32Array.of(1000, -7.5);
    h.add(far);
    const w = h.width!;
    expect(w).toBeGreaterThan(w0);
    expect(Math.log2(w / w0)).toBe(Math.round(Math.log2(w / w0)));
    expect(h.binCount).toBeLessThanOrEqual(16 * HISTOGRAM_MAX_BINS_FACTOR);
    // Half the width would not have fitted (the width is the finest that fits).
    expect(Math.floor(1000 / (w / 2)) - Math.floor(-7.5 / (w / 2)) + 1).toBeGreaterThan(16 * HISTOGRAM_MAX_BINS_FACTOR);
    expect(gridCounts(h)).toEqual(expectedCounts([...a, ...far], w));
  });

  it('a value far out of range in the middle of a batch coarsens the bins counted so far exactly', () => {
    const h = new FixedWidthHistogram(16);
    h.add(Float32Array.of(0.9, -0.6));
    const batch = Float32Array.of(0.3, -0.2, 0.7, 900, 0.1, NaN, -850, 0.05);
    h.add(batch);
    expect(h.binCount).toBeLessThanOrEqual(16 * HISTOGRAM_MAX_BINS_FACTOR);
    expect(gridCounts(h)).toEqual(expectedCounts([0.9, -0.6, ...batch], h.width!));
    expect(h.nonFinite).toBe(1);
    expect(h.extent).toEqual({ min: -850, max: 900 });
  });

  it('a first batch with nothing finite leaves the histogram empty', () => {
    const h = new FixedWidthHistogram(16);
    h.add(Float32Array.of(NaN, Infinity));
    expect(h.view()).toBeUndefined();
    expect(h.nonFinite).toBe(2);
    h.add(Float32Array.of(2));
    expect(h.total).toBe(1);
  });

  it('merging two shards gives exactly the counts of one pass over all data (same width)', () => {
    const r = seeded(4);
    // Both shards' largest |x| lies in [4, 8), so each picks width 2^-7 for 512 bins.
    const clip = (v: number) => Math.max(-3.99, Math.min(3.99, v));
    const a = r.fill(20_000, () => clip(r.normal()));
    const b = r.fill(20_000, () => clip(r.normal() * 1.5 + 0.5));
    a[0] = 4; b[0] = -4;
    const one = new FixedWidthHistogram(512);
    one.add(a); one.add(b);
    const s1 = new FixedWidthHistogram(512), s2 = new FixedWidthHistogram(512);
    s1.add(a); s2.add(b);
    expect(s2.width).toBe(2 ** -7);
    s1.merge(s2);
    expect(s1.width).toBe(one.width);
    expect(gridCounts(s1)).toEqual(gridCounts(one));
    expect(gridCounts(s1)).toEqual(expectedCounts([...a, ...b], 2 ** -7));
    expect(s1.extent).toEqual(one.extent);
    expect(s1.total).toBe(40_000);
  });

  it('merging shards of different widths re-grids to the coarser width exactly', () => {
    const r = seeded(5);
    const a = r.fill(10_000, () => r.normal() * 0.01);
    const b = r.fill(10_000, () => r.normal() * 10);
    const s1 = new FixedWidthHistogram(256), s2 = new FixedWidthHistogram(256);
    s1.add(a); s2.add(b);
    expect(s2.width).toBeGreaterThan(s1.width!);
    s1.merge(s2);
    expect(s1.width).toBe(s2.width);
    expect(gridCounts(s1)).toEqual(expectedCounts([...a, ...b], s2.width!));
    expect(s1.total).toBe(20_000);
  });

  it('skips and counts NaN and ±Infinity', () => {
    const h = new FixedWidthHistogram(64);
    h.add(Float32Array.of(1, NaN, -2, Infinity, -Infinity, 0.5, NaN));
    expect(h.nonFinite).toBe(4);
    expect(h.total).toBe(3);
    expect(h.extent).toEqual({ min: -2, max: 1 });
    expect(gridCounts(h)).toEqual(expectedCounts([1, -2, 0.5], h.width!));
  });

  it('holds all-zero batches until a non-zero value sets the width, then counts them in the bin of 0', () => {
    const h = new FixedWidthHistogram(64);
    h.add(new Float32Array(10));
    expect(h.width).toBeUndefined();
    expect(h.view()!.total).toBe(10);
    h.add(Float32Array.of(3, -1));
    expect(gridCounts(h)).toEqual(expectedCounts([...new Array<number>(10).fill(0), 3, -1], h.width!));
  });

  it('restores its exact state from toJSON', () => {
    const r = seeded(6);
    const h = new FixedWidthHistogram(128);
    h.add(r.fill(3000, r.laplace));
    h.add(Float32Array.of(NaN));
    const back = FixedWidthHistogram.fromJSON(JSON.parse(JSON.stringify(h.toJSON())));
    expect(back.width).toBe(h.width);
    expect(gridCounts(back)).toEqual(gridCounts(h));
    expect(back.extent).toEqual(h.extent);
    expect(back.nonFinite).toBe(1);
    // Still usable: adding more keeps counting on the same grid.
    back.add(Float32Array.of(0.25));
    expect(back.total).toBe(3001);
  });

  it('rejects state whose counts do not add up, with E_OBSERVER', () => {
    const h = new FixedWidthHistogram(8);
    h.add(Float32Array.of(1, 2, 3));
    const bad = { ...h.toJSON(), total: 99 };
    let err: unknown;
    try { FixedWidthHistogram.fromJSON(bad); } catch (e) { err = e; }
    expect(isQtkError(err, 'E_OBSERVER')).toBe(true);
  });

  it('counts a large batch (paired loop) exactly as the same values added in small batches', () => {
    const r = seeded(71);
    const x = r.fill(200_000, r.normal);
    for (let i = 0; i < x.length; i += 3) x[i] = 0; // runs of one bin
    for (let i = 5; i < x.length; i += 997) x[i] = NaN;
    x[150_001] = 40; x[150_002] = -0; // growth in the middle of the batch
    const seed = Float32Array.of(-4, 4);
    const big = new FixedWidthHistogram(256), small = new FixedWidthHistogram(256);
    big.add(seed); small.add(seed);
    big.add(x);
    for (let i = 0; i < x.length; i += 1000) small.add(x.subarray(i, i + 1000));
    const a = big.view()!, b = small.view()!;
    expect([a.base, a.width, a.total]).toEqual([b.base, b.width, b.total]);
    expect(Object.is(a.min, b.min) && Object.is(a.max, b.max)).toBe(true);
    expect([...a.counts]).toEqual([...b.counts]);
    expect(big.nonFinite).toBe(small.nonFinite);
    expect(gridCounts(big)).toEqual(expectedCounts([...seed, ...x], a.width));
  });
});
