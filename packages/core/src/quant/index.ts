/**
 * Pure quantization math (rounding, scale/zero-point computation, Quantize/Dequantize
 * kernels, int4 packing) and reference integer operators (MatMulInteger, QLinearMatMul,
 * ConvInteger, QLinearConv) over core Tensors.
 */
export * from './round.js';
export * from './qparams.js';
export * from './layout.js';
export * from './int4.js';
export * from './quantize.js';
export * from './reference/matMulInteger.js';
export * from './reference/qlinearMatMul.js';
export * from './reference/convInteger.js';
export * from './reference/qlinearConv.js';
export { convAttributesOf, planConv, type ConvAttributes, type ConvPlan } from './reference/convGeometry.js';
export { planMatMul, type MatMulShape } from './reference/matmulShape.js';
export { requantize, requantMultiplier } from './reference/requantize.js';
export * from './layoutRange.js';
export * from './random.js';
export * from './kmeans.js';
export * from './log2.js';
