/**
 * The per-input-channel statistics and scales of Model Optimizer's awq_lite:
 *   x_mean[k] = mean over tokens of |x[t, k]|
 *   w_mean[k] = mean over output columns n of |W[k, n]| / absmax of W's block holding (k, n)
 *   s(alpha)  = clip(x_mean^alpha / (w_mean^(1-alpha) + tiny), 1e-4, 1e4) / sqrt(max(s)·min(s))
 * Blocks of `w_mean` are contiguous runs of `blockSize` rows along K per column (the torch
 * implementation's blocks; a last short block is its own block). Note: at alpha = 0 the scale is
 * 1 / w_mean (normalised), not 1: awq_lite's grid does not contain plain round-to-nearest.
 */

/** Smallest normal float32 (numpy's `finfo(float32).tiny`), the guard of awq_lite's division. */
const TINY = 1.1754943508222875e-38;

/** Running mean of |x| per channel over the rows of row-major [T, K] chunks. */
export class ActivationMean {
  private readonly sum: Float64Array;
  private rows = 0;
  constructor(readonly channels: number) {
    this.sum = new Float64Array(channels);
  }

  /** Adds the rows of `x` (length a multiple of `channels`). */
  add(x: Float32Array): void {
    const k = this.channels;
    for (let i = 0; i < x.length; i += k) {
      for (let c = 0; c < k; c++) this.sum[c]! += Math.abs(x[i + c]!);
    }
    this.rows += x.length / k;
  }

  /** Mean |x| per channel (zeros before any row). */
  mean(): Float64Array {
    return this.sum.map((v) => (this.rows ? v / this.rows : 0));
  }
}

/** Mean over output columns of |W| relative to its block's absmax, per input channel, of a row-major [K, N] matrix. */
export function weightMean(w: Float32Array, k: number, n: number, blockSize: number): Float64Array {
  const out = new Float64Array(k);
  for (let b0 = 0; b0 < k; b0 += blockSize) {
    const b1 = Math.min(k, b0 + blockSize);
    for (let col = 0; col < n; col++) {
      let amax = 0;
      for (let r = b0; r < b1; r++) amax = Math.max(amax, Math.abs(w[r * n + col]!));
      for (let r = b0; r < b1; r++) out[r]! += Math.abs(w[r * n + col]!) / (amax + TINY);
    }
  }
  for (let r = 0; r < k; r++) out[r]! /= n;
  return out;
}

/** awq_lite's scale for `alpha` from the channel means (non-finite entries become 1, as Model Optimizer). */
export function awqScale(xMean: ArrayLike<number>, wMean: ArrayLike<number>, alpha: number): Float64Array {
  const k = xMean.length;
  const s = new Float64Array(k);
  let max = -Infinity;
  let min = Infinity;
  for (let c = 0; c < k; c++) {
    const v = Math.min(1e4, Math.max(1e-4, xMean[c]! ** alpha / (wMean[c]! ** (1 - alpha) + TINY)));
    s[c] = v;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  const norm = Math.sqrt(max * min);
  for (let c = 0; c < k; c++) {
    const v = s[c]! / norm;
    s[c] = Number.isFinite(v) ? v : 1;
  }
  return s;
}
