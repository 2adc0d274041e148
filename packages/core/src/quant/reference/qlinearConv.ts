/**
 * ONNX QLinearConv reference: ConvInteger's accumulators plus an int32 bias, requantized per
 * output channel with `xScale * wScale[m] / yScale` in float32 (as onnxruntime). Weight scales
 * and zero points may be per output channel.
 * Example: x uint8 [1, 1, 7, 7], w uint8 [1, 1, 1, 1] gives uint8 [1, 1, 7, 7].
 */
import { QtkError } from '../../errors/QtkError.js';
import { intRange } from '../../ir/dtype.js';
import { Tensor } from '../../ir/tensor.js';
import type { ConvAttributes } from './convGeometry.js';
import { convAccumulate, shiftedConvInputs } from './convAccumulate.js';
import { checkQuantInput, intValues, perChannel, scalarOf } from './intValues.js';
import { requantize, requantMultiplier } from './requantize.js';

/** Inputs and attributes of QLinearConv; the output takes yZeroPoint's dtype. */
export interface QLinearConvParams extends ConvAttributes {
  x: Tensor;
  /** Scalar. */
  xScale: Tensor;
  /** Scalar, X's dtype. */
  xZeroPoint: Tensor;
  w: Tensor;
  /** Scalar or one per output channel (M). */
  wScale: Tensor;
  /** Scalar or one per output channel (M), W's dtype. */
  wZeroPoint: Tensor;
  /** Scalar. */
  yScale: Tensor;
  /** Scalar; its dtype is the output dtype. */
  yZeroPoint: Tensor;
  /** Optional int32 bias, one per output channel, in units of `xScale * wScale[m]`. */
  bias?: Tensor;
}

/** ONNX QLinearConv: `Y = saturate(round((conv(X - zx, W - zw) + B) * sx * sw / sy) + zy)`. */
export function qlinearConv(p: QLinearConvParams): Tensor {
  checkQuantInput(p.yZeroPoint, 'QLinearConv y_zero_point');
  const { xs, ws, plan } = shiftedConvInputs(p, 'QLinearConv');
  const acc = convAccumulate(xs, ws, plan);
  const { M, OH, OW } = plan;
  let bias: Int32Array | undefined;
  if (p.bias) {
    if (p.bias.dtype !== 'int32') throw new QtkError('E_DTYPE', `QLinearConv bias must be int32, got ${p.bias.dtype}`);
    if (p.bias.size !== M) throw new QtkError('E_SHAPE', `QLinearConv bias has ${p.bias.size} values, expected ${M} (one per output channel)`);
    bias = intValues(p.bias, 'QLinearConv bias');
  }
  const sx = scalarOf(p.xScale, 'QLinearConv x_scale');
  const sy = scalarOf(p.yScale, 'QLinearConv y_scale');
  const zy = scalarOf(p.yZeroPoint, 'QLinearConv y_zero_point');
  const sw = perChannel(p.wScale, M, 'QLinearConv w_scale');
  const [lo, hi] = intRange(p.yZeroPoint.dtype);
  const y = Tensor.zeros(p.yZeroPoint.dtype, plan.outDims);
  const plane = OH * OW;
  for (let i = 0; i < acc.length; i++) {
    const m = Math.floor(i / plane) % M;
    const mult = requantMultiplier(sx, sw[m]!, sy);
    y.set(i, requantize(acc[i]! + (bias ? bias[m]! : 0), mult, zy, lo, hi));
  }
  return y;
}
