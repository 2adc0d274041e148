/**
 * Scale and zero point of one tensor, as conversion writes them: one pair per tensor,
 * per index of an axis, or per block along an axis.
 * Example: per-channel int8 weights [64, 3, 3, 3] on axis 0 have 64 scales and 64 zero points.
 */
import type { DType } from '../ir/dtype.js';

/** Scale and zero point of one tensor. */
export interface QParams {
  scale: Float32Array;
  zeroPoint: Int32Array;
  dtype: DType;
  axis?: number;
  /** Block length along `axis` for per-block parameters (then `scale` has dims `paramDims`). */
  blockSize?: number;
  /** Dims of the scale and zero point of per-block parameters (the tensor's dims, axis divided into blocks). */
  paramDims?: number[];
}
