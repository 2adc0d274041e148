/**
 * Conv and ConvTranspose: Q/DQ on the data input and the weight, nothing on the bias or the
 * output. Weights per output channel on the axis of the op contract (Conv 0, ConvTranspose 1).
 */
import { attrInt, attrInts, nonFloatReason, resolveWeight, weightName, type AnnotateContext, type Node, type OpHandler } from '@qtk/core';

/** Channels below which TensorRT's INT8 convolution kernels need the exceptions of `smallConvReason`. */
const MIN_CONV_CHANNELS = 16;

/**
 * Why a convolution with fewer than 16 input or output channels has no fast INT8 kernel in
 * TensorRT, or undefined when it has one. Small channel counts are fine for a plain Conv
 * with a square kernel when one count is a multiple of 8 and either the Conv reads a graph
 * input or the other count is ≥ 16; and for a grouped Conv with output channels a multiple
 * of 8 and every kernel side ≥ 3 (depthwise 3x3).
 * Example: Conv W [8, 4, 1, 1] deep in a network stays float; W [32, 3, 3, 3] on the image is quantized.
 */
export function smallConvReason(ctx: AnnotateContext, node: Node, weightDims: readonly number[]): string | undefined {
  const [outCh, inCh] = weightDims as [number, number];
  if (outCh >= MIN_CONV_CHANNELS && inCh >= MIN_CONV_CHANNELS) return undefined;
  const group = attrInt(node, 'group', 1);
  const kernel = attrInts(node, 'kernel_shape') ?? weightDims.slice(2);
  if (group === 1) {
    const readsGraphInput = ctx.index.graph.inputs.some((i) => i.name === node.inputs[0]);
    const square = new Set(kernel).size <= 1;
    if ((outCh % 8 === 0 || inCh % 8 === 0) && (readsGraphInput || outCh >= MIN_CONV_CHANNELS || inCh >= MIN_CONV_CHANNELS) && square) return undefined;
  } else if (outCh % 8 === 0 && kernel.every((k) => k >= 3)) {
    return undefined;
  }
  return `${inCh} input and ${outCh} output channels (group ${group}, kernel ${kernel.join('x')}): TensorRT has no faster INT8 kernel for this small a convolution`;
}

/** Conv and ConvTranspose: per-tensor activation on input 0, per-output-channel weight; bias and output stay float. */
export const convHandler: OpHandler = {
  opTypes: ['Conv', 'ConvTranspose'],
  annotate(node, ctx) {
    const x = node.inputs[0];
    const w = weightName(node);
    if (!x || !w) return 'missing data or weight input';
    const weight = ctx.index.graph.initializers.get(w);
    if (!weight) return 'weight is computed at run time, not a constant';
    const bad = nonFloatReason(ctx, x) ?? nonFloatReason(ctx, w);
    if (bad) return bad;
    if (node.opType === 'Conv') {
      const small = smallConvReason(ctx, node, weight.dims);
      if (small) return small;
    }
    ctx.markActivation(x);
    ctx.markWeight(w, resolveWeight(node, weight.dims.length)!.channelAxis);
  },
};
