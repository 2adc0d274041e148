/**
 * Bin arithmetic the histogram range strategies share: folding a signed histogram into
 * one of |x|, merging groups of adjacent bins, and bin intervals clamped to the data.
 */
import type { HistogramView } from './fixedWidthHistogram.js';

/** Bins on a grid anchored at 0: bin `j` covers `[(base + j) * width, (base + j + 1) * width)`. */
export interface GridBins {
  readonly counts: Float64Array;
  readonly base: number;
  readonly width: number;
}

/**
 * Histogram of |x|: bin `j` covers `[j * width, (j + 1) * width)` and sums the signed
 * bins `j` and `-j - 1` (the mirror of `[j w, (j+1) w)` is `[-(j+1) w, -j w)`; values
 * exactly on a negative edge land one bin low, a measure-zero difference).
 */
export function foldAbsolute(view: HistogramView): Float64Array {
  const first = view.base, last = view.base + view.counts.length - 1;
  const n = Math.max(last + 1, -first, 1);
  const out = new Float64Array(n);
  for (let j = 0; j < view.counts.length; j++) {
    const k = first + j;
    const c = view.counts[j]!;
    if (c === 0) continue;
    out[k >= 0 ? k : -k - 1] += c;
  }
  return out;
}

/**
 * Groups of `factor` adjacent bins merged, keeping 0 on an edge: grid bin `k` goes to
 * `floor(k / factor)`. Exact (counts are only summed).
 */
export function regroup(bins: GridBins, factor: number): GridBins {
  if (factor <= 1) return bins;
  const first = Math.floor(bins.base / factor);
  const last = Math.floor((bins.base + bins.counts.length - 1) / factor);
  const out = new Float64Array(last - first + 1);
  for (let j = 0; j < bins.counts.length; j++) out[Math.floor((bins.base + j) / factor) - first] += bins.counts[j]!;
  return { counts: out, base: first, width: bins.width * factor };
}

/** Lower and upper end of bin `j`, clamped to the observed `[min, max]`. */
export function binInterval(bins: GridBins, j: number, min: number, max: number): [number, number] {
  const a = (bins.base + j) * bins.width;
  const b = a + bins.width;
  return [a < min ? min : a, b > max ? max : b];
}
