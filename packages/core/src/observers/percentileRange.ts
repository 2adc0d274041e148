/**
 * Percentile range from a histogram: keep `percentile` % of the observed values.
 *
 * Asymmetric (default): `(100 - p) / 2` % is cut from each tail of the signed values,
 * which is what onnxruntime's percentile calibrator does when not symmetric
 * (`compute_percentile` cuts `(100 - p) / 200` of the CDF on each side). Symmetric:
 * the `p`-th percentile `T` of |x| (onnxruntime's symmetric mode), range `[-T, T]`.
 *
 * Unlike onnxruntime, which returns the nearest bin edge, the cut point is interpolated
 * inside its bin (values taken as uniform within the bin, and the outermost bins
 * clamped to the exact observed min and max), so `percentile = 100` gives exactly
 * `[min, max]` and the result does not jump by a bin width as `p` changes.
 */
import type { HistogramView } from './fixedWidthHistogram.js';
import { binInterval, foldAbsolute } from './histogramBins.js';

/** The value below which `mass` of the counts lie, interpolated inside its bin. */
function lowerCut(view: HistogramView, mass: number): number {
  const { counts } = view;
  let before = 0;
  for (let j = 0; j < counts.length; j++) {
    const c = counts[j]!;
    if (c > 0 && before + c > mass) {
      const [a, b] = binInterval(view, j, view.min, view.max);
      return a + ((mass - before) / c) * (b - a);
    }
    before += c;
  }
  return view.max;
}

/** The value above which `mass` of the counts lie, interpolated inside its bin. */
function upperCut(view: HistogramView, mass: number): number {
  const { counts } = view;
  let after = 0;
  for (let j = counts.length - 1; j >= 0; j--) {
    const c = counts[j]!;
    if (c > 0 && after + c > mass) {
      const [a, b] = binInterval(view, j, view.min, view.max);
      return b - ((mass - after) / c) * (b - a);
    }
    after += c;
  }
  return view.min;
}

/**
 * `[lo, hi]` holding `percentile` % of the values (see the module comment);
 * `percentile` in (0, 100]. The result lies within the observed `[min, max]`.
 */
export function percentileRange(view: HistogramView, percentile: number, symmetric = false): [number, number] {
  const cut = (view.total * (100 - percentile)) / 100;
  if (!symmetric) {
    const lo = lowerCut(view, cut / 2);
    const hi = upperCut(view, cut / 2);
    return lo <= hi ? [lo, hi] : [hi, lo];
  }
  const abs = foldAbsolute(view);
  const amax = Math.max(-view.min, view.max);
  const t = upperCut({ counts: abs, base: 0, width: view.width, min: 0, max: amax, total: view.total }, cut);
  return [Math.max(view.min, -t), Math.min(view.max, t)];
}
