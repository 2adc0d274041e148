/**
 * Scale and zero point from an observed float range, following onnxruntime's quantization
 * tool (`compute_scale_zp`): the range is widened to contain 0, optionally made symmetric,
 * and mapped onto the integer range `[qmin, qmax]` so that `r = scale * (q - zeroPoint)`.
 * Example: int8 asymmetric over [-1, 3] gives scale 4/255 and zero point -64.
 */
import { QtkError } from '../errors/QtkError.js';
import type { DType } from '../ir/dtype.js';
import { isFloat8QuantType } from './float8.js';
import { float8QParams } from './float8QParams.js';
import type { QParamsOptions } from './qparamsOptions.js';
import { roundHalfToEven } from './round.js';

export type { QParamsOptions } from './qparamsOptions.js';

/** Bits and signedness of the dtypes qparams can target. */
const QUANT_TYPES: Partial<Record<DType, { bits: number; signed: boolean }>> = {
  int8: { bits: 8, signed: true },
  uint8: { bits: 8, signed: false },
  int16: { bits: 16, signed: true },
  uint16: { bits: 16, signed: false },
  int4: { bits: 4, signed: true },
  uint4: { bits: 4, signed: false },
};

/** Smallest normal float32; a smaller scale is treated as a zero range. */
const FLOAT32_MIN_NORMAL = 1.1754943508222875e-38;

/**
 * The integer range `[qmin, qmax]` quantized values take under `opts`:
 * `quantRange({ dtype: 'int8', symmetric: true, narrowRange: true })` is `[-127, 127]`,
 * `quantRange({ dtype: 'uint8', symmetric: false, reduceRange: true })` is `[0, 127]`.
 * Throws E_DTYPE for a dtype other than int8, uint8, int16, uint16, int4, uint4.
 */
export function quantRange(opts: QParamsOptions): [qmin: number, qmax: number] {
  const t = QUANT_TYPES[opts.dtype];
  if (!t) {
    throw new QtkError('E_DTYPE', `cannot compute quantization parameters for ${opts.dtype}; expected int8, uint8, int16, uint16, int4 or uint4`);
  }
  const bits = opts.reduceRange ? t.bits - 1 : t.bits;
  let qmin = t.signed ? -(2 ** (bits - 1)) : 0;
  let qmax = t.signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  if (opts.narrowRange) {
    if (t.signed) qmin += 1;
    else qmax -= 1;
  }
  return [qmin, qmax];
}

/**
 * Scale and zero point per channel (length 1 for per-tensor) from observed min/max.
 * `min` and `max` hold one value per channel: `computeQParams([-1], [3], { dtype: 'uint8', symmetric: false })`
 * gives scale `[4/255]` (float32) and zero point `[64]`.
 * Rules: the range is widened to contain 0; symmetric uses `[-absmax, absmax]` and the
 * midpoint zero point `round((qmin+qmax)/2)`; asymmetric uses `scale = (rmax-rmin)/(qmax-qmin)`,
 * `zeroPoint = clamp(round(qmin - rmin/scale))`. A zero range gives scale 1 (never 0 or NaN)
 * and zero point 0 (the midpoint when symmetric, so all channels share it).
 * Arithmetic as onnxruntime: range in float32, scale and zero point in float64, scale stored as float32.
 * For dtype 'float8e4m3fn' the scale is amax / 448 and the zero point 0 (symmetric only; see `float8QParams`).
 * Throws E_OBSERVER for non-finite or inverted min/max, E_SHAPE for mismatched lengths, E_DTYPE for the dtype.
 */
export function computeQParams(
  min: ArrayLike<number>,
  max: ArrayLike<number>,
  opts: QParamsOptions,
): { scale: Float32Array; zeroPoint: Int32Array } {
  if (isFloat8QuantType(opts.dtype)) return float8QParams(min, max, opts);
  const [qmin, qmax] = quantRange(opts);
  if (min.length !== max.length || min.length === 0) {
    throw new QtkError('E_SHAPE', `min and max must have the same non-zero length (one per channel); got ${min.length} and ${max.length}`);
  }
  const n = min.length;
  const scale = new Float32Array(n);
  const zeroPoint = new Int32Array(n);
  const midpoint = roundHalfToEven((qmin + qmax) / 2);
  for (let c = 0; c < n; c++) {
    const lo = Math.fround(min[c]!);
    const hi = Math.fround(max[c]!);
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
      throw new QtkError('E_OBSERVER', `observed range of channel ${c} is not finite (min ${min[c]}, max ${max[c]} as float32 ${lo}, ${hi}); did the observer see NaN/Infinity or no data?`);
    }
    if (lo > hi) {
      throw new QtkError('E_OBSERVER', `observed range of channel ${c} is inverted: min ${lo} > max ${hi}`);
    }
    let rmin = Math.min(lo, 0);
    let rmax = Math.max(hi, 0);
    if (opts.symmetric) {
      const absmax = Math.max(-rmin, rmax);
      rmin = -absmax;
      rmax = absmax;
    }
    const s = Math.fround(rmax - rmin) / (qmax - qmin);
    if (!(s >= FLOAT32_MIN_NORMAL)) {
      scale[c] = 1;
      zeroPoint[c] = opts.symmetric ? midpoint : 0;
      continue;
    }
    const s32 = Math.fround(s);
    if (!Number.isFinite(s32)) {
      throw new QtkError('E_OBSERVER', `observed range of channel ${c} [${lo}, ${hi}] is too wide for a float32 scale`);
    }
    scale[c] = s32;
    if (opts.symmetric) {
      zeroPoint[c] = midpoint;
    } else {
      const z = roundHalfToEven(qmin - rmin / s);
      zeroPoint[c] = z < qmin ? qmin : z > qmax ? qmax : z;
    }
  }
  return { scale, zeroPoint };
}
