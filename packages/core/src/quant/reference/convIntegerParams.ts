/**
 * Inputs and attributes of ONNX ConvInteger, shared by the reference kernel and the
 * accumulation it runs on.
 * Example: `{ x: uint8 [1, 1, 3, 3], w: uint8 [1, 1, 2, 2], pads: [0, 0, 0, 0] }`.
 */
import type { Tensor } from '../../ir/tensor.js';
import type { ConvAttributes } from './convGeometry.js';

/** Inputs and attributes of ConvInteger. */
export interface ConvIntegerParams extends ConvAttributes {
  /** X, dims [N, C, H, W] (or [N, C, L]). */
  x: Tensor;
  /** W, dims [M, C / group, KH, KW] (or [M, C / group, K]). */
  w: Tensor;
  /** Zero point of X: a scalar; default 0. */
  xZeroPoint?: Tensor;
  /** Zero point of W: a scalar or one per output channel (M); default 0. */
  wZeroPoint?: Tensor;
}
