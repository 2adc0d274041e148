/** The target a scale and zero point are computed for (read by `computeQParams`, `quantRange` and `float8QParams`). */
import type { DType } from '../ir/dtype.js';

/** Options of `computeQParams` and `quantRange`. */
export interface QParamsOptions {
  /** Target type: int8, uint8, int16, uint16, int4 or uint4 (float8e4m3fn: `computeQParams` only). */
  dtype: DType;
  /** Symmetric range `[-absmax, absmax]` and the midpoint zero point (0 signed, 128 uint8). */
  symmetric: boolean;
  /** One bit fewer: int8 [-64, 63], uint8 [0, 127], int4 [-4, 3], int16 [-16384, 16383]. */
  reduceRange?: boolean;
  /** Drop one end so the range is symmetric about its midpoint: int8 [-127, 127], uint8 [0, 254]. */
  narrowRange?: boolean;
}
