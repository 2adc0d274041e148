/**
 * FP8 E4M3 placement for TensorRT, after Model Optimizer's FP8 ONNX path: Q/DQ on the inputs
 * and weights of Conv, Gemm and MatMul, and on the skip branch of residual Adds; pooling,
 * normalization and ConvTranspose stay float (TensorRT has no FP8 kernels to keep them in).
 * Conv follows Model Optimizer's FP8 kernel limits: at least 16 input and output channels,
 * both counts equal modulo 16 (padded alike), and at most 32 filter taps (a 7x7 stem stays
 * float). Gemm/MatMul and residual Adds keep the INT8 rules (GEMVs, small GEMMs and the
 * attention core stay float).
 *
 * The placement applies when the annotation's activation or weight spec is float8e4m3fn,
 * that is when the user asks for `activationType`/`weightType` 'float8e4m3fn'; every other
 * type keeps the INT8 placement. No backend option is needed: the spec reaches `place`
 * through the annotate context.
 */
import { isFloat8QuantType, policyFromHandlers, type AnnotateContext, type Node, type OpHandler, type PlacementPolicy } from '@qtk/core';
import { convHandler } from './ops/conv.js';
import { matmulHandler } from './ops/matmul.js';
import { residualAddHandler } from './ops/residualAdd.js';

/** Fewest input and output channels of an FP8 convolution kernel (Model Optimizer's limit). */
const FP8_MIN_CONV_CHANNELS = 16;
/** Most filter taps (product of the kernel sides) of an FP8 convolution kernel. */
const FP8_MAX_FILTER_TAPS = 32;

/**
 * Why a Conv with weight dims `[out, in/group, k...]` has no FP8 kernel in TensorRT, or
 * undefined when it has one. Example: W [64, 3, 7, 7] (3 channels, 49 taps) stays float;
 * W [64, 64, 3, 3] is quantized.
 */
export function fp8ConvReason(weightDims: readonly number[]): string | undefined {
  const [outCh, inCh] = weightDims as [number, number];
  const taps = weightDims.slice(2).reduce((a, k) => a * k, 1);
  if (outCh < FP8_MIN_CONV_CHANNELS || inCh < FP8_MIN_CONV_CHANNELS) {
    return `${inCh} input and ${outCh} output channels per group: TensorRT's FP8 convolutions need at least ${FP8_MIN_CONV_CHANNELS} of each`;
  }
  if (outCh % 16 !== inCh % 16) return `${inCh} input and ${outCh} output channels differ modulo 16: TensorRT cannot pad them alike for FP8`;
  if (taps > FP8_MAX_FILTER_TAPS) return `kernel of ${taps} taps: TensorRT's FP8 convolutions take at most ${FP8_MAX_FILTER_TAPS}`;
  return undefined;
}

/** Conv in FP8: the kernel limits of `fp8ConvReason`, then the INT8 handler's marks (data input, per-channel weight). */
export const fp8ConvHandler: OpHandler = {
  opTypes: ['Conv'],
  annotate(node, ctx) {
    const w = node.inputs[1];
    const weight = w ? ctx.index.graph.initializers.get(w) : undefined;
    const reason = weight ? fp8ConvReason(weight.dims) : undefined;
    return reason ?? convHandler.annotate(node, ctx);
  },
};

/** The FP8 handlers: Conv, Gemm/MatMul, residual Add. */
export const TENSORRT_FP8_HANDLERS: readonly OpHandler[] = [fp8ConvHandler, matmulHandler, residualAddHandler];

/** True when the annotation quantizes to float8e4m3fn (activations or weights). */
export function annotatesFloat8(ctx: AnnotateContext): boolean {
  return isFloat8QuantType(ctx.activationSpec.dtype) || isFloat8QuantType(ctx.weightSpec(undefined).dtype);
}

/** Why FP8 placement quantizes nothing when only one of activations and weights is float8, else undefined. */
function mixedFloat8Reason(ctx: AnnotateContext): string | undefined {
  const a = ctx.activationSpec.dtype;
  const w = ctx.weightSpec(undefined).dtype;
  if (isFloat8QuantType(a) === isFloat8QuantType(w)) return undefined;
  return `activations ${a} with weights ${w}: TensorRT's FP8 layers take FP8 activations and FP8 weights together`;
}

/**
 * `int8` with FP8 placement in its place whenever the annotation is float8e4m3fn; its op
 * types are the union, and an op without an FP8 rule stays float with the reason. FP8 on one
 * side only (float8 activations with int8 weights, or the reverse) leaves every node float
 * with that reason, since TensorRT has no layer that mixes them.
 */
export function withFp8Placement(int8: PlacementPolicy): PlacementPolicy {
  const fp8 = policyFromHandlers(TENSORRT_FP8_HANDLERS);
  const fp8Ops = new Set(fp8.opTypes);
  return {
    opTypes: [...new Set([...int8.opTypes, ...fp8.opTypes])],
    place(node: Node, ctx: AnnotateContext) {
      if (!annotatesFloat8(ctx)) return int8.place(node, ctx);
      const mixed = mixedFloat8Reason(ctx);
      if (mixed) return mixed;
      return fp8Ops.has(node.opType) ? fp8.place(node, ctx) : 'TensorRT has no FP8 kernel for this op type (FP8 quantizes Conv, Gemm, MatMul and residual Add inputs)';
    },
  };
}
