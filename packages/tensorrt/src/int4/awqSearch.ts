/**
 * awq_lite's search on one MatMul/Gemm: for each alpha of the grid, scale the weight's input
 * channels by s(alpha), quantize W·diag(s) to INT4 blocks, and measure the mean squared error
 * of (x / s) · Q(W·diag(s)) against x · W on the calibration rows; keep the alpha of least error.
 * Scales are float32 as written to the model: the weight rows are multiplied by `s`, the input
 * by `1 / s` (both rounded to float32).
 */
import { QtkError } from '@qtk/core';
import { awqScale } from './awqScale.js';
import { fakeQuantInt4 } from './blockQuant.js';
import { OutputErrorMeter } from './outputError.js';

/** One layer's float data: activation rows x [T, K] and weight W [K, N], both row-major. */
export interface LayerData {
  x: Float32Array;
  w: Float32Array;
  /** Rows of x (tokens). */
  t: number;
  /** Input channels (the reduction axis). */
  k: number;
  /** Output columns. */
  n: number;
}

/** The result of the search on one layer. */
export interface AwqSearchResult {
  /** Alpha of least error (the first one on ties). */
  alpha: number;
  /** The input-channel scale of that alpha, float32, length K. */
  scale: Float32Array;
  /** Output MSE at that alpha. */
  mse: number;
  /** Output MSE of plain round-to-nearest (scale 1) on the same rows. */
  rtnMse: number;
  /** Output MSE per alpha of the grid. */
  losses: { alpha: number; mse: number }[];
}

/** W·diag(s) of a row-major [K, N] weight: row k times s[k], rounded to float32. */
export function scaleWeightRows(w: Float32Array, k: number, n: number, s: Float32Array): Float32Array {
  const out = new Float32Array(k * n);
  for (let r = 0; r < k; r++) {
    const f = s[r]!;
    for (let j = 0; j < n; j++) out[r * n + j] = Math.fround(w[r * n + j]! * f);
  }
  return out;
}

/** float32 reciprocal of each scale: the factor the input is multiplied by. */
export function inverseScale(s: Float32Array): Float32Array {
  return s.map((v) => Math.fround(1 / v));
}

/**
 * Output MSE of the layer with input-channel scale `s` (undefined: no scale, plain RTN), as
 * `meter` measures it against x · W: x · diag(1/s) · Q(diag(s) · W).
 */
export function scaledOutputError(layer: LayerData, blockSize: number, s: Float32Array | undefined, meter: OutputErrorMeter): number {
  const { w, k, n } = layer;
  const q = fakeQuantInt4(s ? scaleWeightRows(w, k, n, s) : w, k, n, blockSize);
  if (s) {
    const inv = inverseScale(s);
    for (let r = 0; r < k; r++) for (let j = 0; j < n; j++) q[r * n + j] = q[r * n + j]! * inv[r]!;
  }
  return meter.mse(q);
}

/** The error meter of a layer (shared by every evaluation on it). */
export function layerMeter(layer: LayerData): OutputErrorMeter {
  return new OutputErrorMeter(layer.x, layer.w, layer.t, layer.k, layer.n);
}

/** awq_lite on one layer over `alphas`, with the input channel means `xMean` and weight means `wMean`. */
export function searchAwqScale(layer: LayerData, blockSize: number, alphas: readonly number[], xMean: ArrayLike<number>, wMean: ArrayLike<number>, meter = layerMeter(layer)): AwqSearchResult {
  const losses: { alpha: number; mse: number }[] = [];
  let best: { alpha: number; scale: Float32Array; mse: number } | undefined;
  for (const alpha of alphas) {
    const scale = Float32Array.from(awqScale(xMean, wMean, alpha));
    const mse = scaledOutputError(layer, blockSize, scale, meter);
    losses.push({ alpha, mse });
    if (!best || mse < best.mse) best = { alpha, scale, mse };
  }
  if (!best) throw new QtkError('E_OPTION', 'the awq_lite search needs at least one alpha', { option: 'alphaStep' });
  return { ...best, rtnMse: scaledOutputError(layer, blockSize, undefined, meter), losses };
}
