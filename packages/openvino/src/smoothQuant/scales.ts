/**
 * SmoothQuant's smoothing scales, as NNCF computes them:
 * s_j = max|X_j|^α / (max|W_j|^(1−α) + eps), both statistics clipped below at 1e-5, then s
 * clipped to [10th percentile of s, 100]; a group of layers takes the scale of the layer
 * whose scale has the largest min/max ratio.
 */

/** float32 machine epsilon (NNCF's `finfo(activations).eps`). */
const EPS = 1.1920928955078125e-7;
/** Lower clip of both statistics. */
const STAT_MIN = 1e-5;
/** Upper clip of the scales. */
const SCALE_MAX = 100;
/** Quantile of the scales that is their lower clip. */
const SCALE_QUANTILE = 0.1;

/** max |W| of each input channel of a 2-D weight [rows, cols] of `channels` input channels on `inAxis` (0: rows, 1: columns). */
export function weightRowAbsMax(w: Float32Array, channels: number, inAxis: 0 | 1 = 0): Float32Array {
  const cols = inAxis === 0 ? w.length / channels : channels;
  const out = new Float32Array(channels);
  for (let i = 0; i < w.length; i++) {
    const j = inAxis === 0 ? Math.floor(i / cols) : i % cols;
    out[j] = Math.max(out[j]!, Math.abs(w[i]!));
  }
  return out;
}

/** The `q` quantile of `values` with linear interpolation (numpy's default). */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * One layer's scales and their ratio min/max (NNCF's `_calculate_scale_and_ratio`), from the
 * activation's channel abs-max `act` and the weight's row abs-max `wgt`.
 * Example: act [10, 1], wgt [1, 1], alpha 0.5 → scales before clipping [√10, 1].
 */
export function scaleAndRatio(act: ArrayLike<number>, wgt: ArrayLike<number>, alpha: number): { scales: Float32Array; ratio: number } {
  const raw = Float32Array.from(act, (a, j) => Math.max(a, STAT_MIN) ** alpha / (Math.max(wgt[j]!, STAT_MIN) ** (1 - alpha) + EPS));
  const lo = quantile(raw, SCALE_QUANTILE);
  const scales = raw.map((s) => Math.min(Math.max(s, lo), SCALE_MAX));
  let min = Infinity, max = -Infinity;
  for (const s of scales) {
    min = Math.min(min, s);
    max = Math.max(max, s);
  }
  return { scales, ratio: min / (max + EPS) };
}

/**
 * The scales of a group: among its layers' scales (one weight each, `weights` row abs-max),
 * those with the largest ratio, as NNCF picks them; the first layer's on a tie.
 */
export function groupScales(act: ArrayLike<number>, weights: readonly ArrayLike<number>[], alpha: number): Float32Array {
  let best: { scales: Float32Array; ratio: number } | undefined;
  for (const wgt of weights) {
    const cand = scaleAndRatio(act, wgt, alpha);
    if (!best || cand.ratio > best.ratio) best = cand;
  }
  return best!.scales;
}
