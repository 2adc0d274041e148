/**
 * Shape rules of quantization ops: QuantizeLinear (output type from the zero point or
 * `output_dtype`, uint8 by default), DequantizeLinear (the scale's float type),
 * DynamicQuantizeLinear (uint8 data plus scalar scale and zero point).
 * Example: QuantizeLinear of float `['N', 16]` with an int8 zero point gives int8 `['N', 16]`.
 */
import type { DType } from '../../ir/dtype.js';
import type { ShapeRule } from '../types.js';
import { dtypeAttr, info } from './common.js';

const quantize: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  const declared = dtypeAttr(ctx, 'output_dtype');
  const dtype: DType = declared ?? ctx.input(2)?.dtype ?? 'uint8';
  return [info(dtype, x.shape ?? ctx.noShape('input has no known shape'))];
};

const dequantize: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  const dtype: DType = ctx.input(1)?.dtype ?? 'float32';
  return [info(dtype, x.shape ?? ctx.noShape('input has no known shape'))];
};

const dynamicQuantize: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  return [info('uint8', x.shape ?? ctx.noShape('input has no known shape')), info('float32', []), info('uint8', [])];
};

/** Quantization rules by op type (default domain and com.microsoft). */
export const quantRules: ReadonlyArray<[string, ShapeRule]> = [
  ['QuantizeLinear', quantize],
  ['DequantizeLinear', dequantize],
  ['DynamicQuantizeLinear', dynamicQuantize],
  ['com.microsoft:QuantizeLinear', quantize],
  ['com.microsoft:DequantizeLinear', dequantize],
];
