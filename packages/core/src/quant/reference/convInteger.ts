/**
 * ONNX ConvInteger reference: `Y = conv(X - xZeroPoint, W - wZeroPoint)` in int32 over NCHW
 * data (1-D or 2-D), with pads, strides, dilations, groups and auto_pad. Padded positions
 * contribute nothing (X is padded with its zero point).
 * Example: x uint8 [1, 1, 3, 3], w uint8 [1, 1, 2, 2] gives int32 [1, 1, 2, 2].
 */
import { Tensor } from '../../ir/tensor.js';
import type { ConvIntegerParams } from './convIntegerParams.js';
import { convAccumulate, shiftedConvInputs } from './convAccumulate.js';

/** Inputs and attributes of ConvInteger (defined in convIntegerParams.ts). */
export type { ConvIntegerParams } from './convIntegerParams.js';

/** ONNX ConvInteger: int32 convolution of zero-point-shifted integer input and weights. */
export function convInteger(p: ConvIntegerParams): Tensor {
  const { xs, ws, plan } = shiftedConvInputs(p, 'ConvInteger');
  return new Tensor('int32', convAccumulate(xs, ws, plan), plan.outDims);
}
