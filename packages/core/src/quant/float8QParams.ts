/**
 * Scales for FP8 E4M3FN from an observed range: the range's absolute maximum (amax) maps
 * onto the largest float8e4m3fn value, `scale = amax / 448`, and the zero point is 0 (a
 * float8 zero). FP8 is symmetric only: there is no integer grid to shift, so asymmetric,
 * reduced or narrowed ranges have no meaning and are refused.
 * Example: range [-3, 0.5] gives amax 3, scale 3/448 (float32), zero point 0.
 */
import { QtkError } from '../errors/QtkError.js';
import { FLOAT8E4M3FN_MAX } from './float8.js';
import type { QParamsOptions } from './qparamsOptions.js';

/** Smallest normal float32; a smaller scale is treated as a zero range. */
const FLOAT32_MIN_NORMAL = 1.1754943508222875e-38;

/**
 * Scale (float32) and zero point (all 0) per channel for float8e4m3fn from min/max per
 * channel; a zero range gives scale 1. Throws E_OPTION for an asymmetric, reduced or narrow
 * range, E_SHAPE for mismatched lengths and E_OBSERVER for non-finite or inverted ranges.
 */
export function float8QParams(min: ArrayLike<number>, max: ArrayLike<number>, opts: QParamsOptions): { scale: Float32Array; zeroPoint: Int32Array } {
  if (!opts.symmetric || opts.reduceRange || opts.narrowRange) {
    const what = !opts.symmetric ? 'an asymmetric range' : opts.reduceRange ? 'reduceRange' : 'narrowRange';
    throw new QtkError('E_OPTION', `${opts.dtype} quantization is symmetric over the float8 values (scale = amax / ${FLOAT8E4M3FN_MAX}, zero point 0); ${what} does not apply to it`);
  }
  if (min.length !== max.length || min.length === 0) {
    throw new QtkError('E_SHAPE', `min and max must have the same non-zero length (one per channel); got ${min.length} and ${max.length}`);
  }
  const n = min.length;
  const scale = new Float32Array(n);
  for (let c = 0; c < n; c++) {
    const lo = Math.fround(min[c]!);
    const hi = Math.fround(max[c]!);
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
      throw new QtkError('E_OBSERVER', `observed range of channel ${c} is not finite (min ${min[c]}, max ${max[c]}); did the observer see NaN/Infinity or no data?`);
    }
    if (lo > hi) throw new QtkError('E_OBSERVER', `observed range of channel ${c} is inverted: min ${lo} > max ${hi}`);
    const amax = Math.max(-lo, hi, 0);
    const s = Math.fround(amax / FLOAT8E4M3FN_MAX);
    scale[c] = s >= FLOAT32_MIN_NORMAL ? s : 1;
  }
  return { scale, zeroPoint: new Int32Array(n) };
}
