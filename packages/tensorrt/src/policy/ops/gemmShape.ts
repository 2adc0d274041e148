/**
 * When a Gemm or MatMul is too small for TensorRT's INT8 tensor-core kernels: a GEMV (one
 * row or one column of output) or a GEMM whose reduction K or output width N is below 16.
 * Q/DQ there would add conversions without a faster kernel to pay for them.
 */
import { resolveWeight, type Node } from '@qtk/core';
import type { GraphIndex } from '@qtk/core';
import { staticShape } from '../graphWalk.js';

/** Smallest K and N for which TensorRT's INT8 (and FP8) GEMM kernels beat float. */
export const MIN_GEMM_DIM = 16;

/** K and N of `node` from the static shapes of its second input and its output (undefined where unknown). */
function gemmDims(index: GraphIndex, node: Node): { k: number | undefined; n: number | undefined; out: Array<number | undefined> | undefined } {
  const out = staticShape(index, node.outputs[0]!);
  const b = staticShape(index, node.inputs[1]!);
  let k: number | undefined;
  let n = out?.[out.length - 1];
  if (b && b.length >= 2) {
    const axes = resolveWeight(node, b.length);
    if (axes?.reductionAxis !== undefined) k = b[axes.reductionAxis];
    if (n === undefined && axes?.channelAxis !== undefined) n = b[axes.channelAxis];
  }
  return { k, n, out };
}

/**
 * Why `node` (Gemm or MatMul) stays float in TensorRT's INT8 rules, or undefined.
 * - two computed inputs: a GEMV when either of the last two output dims is 1 (static dims only);
 * - a constant input: a GEMV when the output has rank ≤ 2 and some dim is 1 (say [1, 1000]); a
 *   symbolic first dim of a rank-2 output (the batch of a classifier head, [N, 1000]) counts as
 *   1, as an engine built for one image at a time runs it and as Model Optimizer's shape
 *   inference with its default calibration shapes sees it;
 * - otherwise too small when K or N is below `MIN_GEMM_DIM`.
 * Example: MatMul [4, 64] x W [64, 8] → N = 8: 'N = 8 < 16 ...'.
 */
export function smallGemmReason(index: GraphIndex, node: Node): string | undefined {
  const { k, n, out } = gemmDims(index, node);
  const bothComputed = node.inputs.slice(0, 2).every((v) => !index.isConstant(v));
  if (out) {
    const gemv = bothComputed
      ? out.length >= 2 && (out[out.length - 1] === 1 || out[out.length - 2] === 1)
      : out.length < 3 && (out.some((d) => d === 1) || (out.length === 2 && out[0] === undefined));
    if (gemv) return `GEMV (output [${out.map((d) => d ?? '?').join(', ')}]${out.includes(undefined) ? ', batch 1' : ''}): no tensor-core kernel, TensorRT runs it faster in float`;
  }
  const small = [['K', k], ['N', n]].filter(([, d]) => typeof d === 'number' && d > 0 && d < MIN_GEMM_DIM);
  if (small.length) return `${small.map(([name, d]) => `${name} = ${d}`).join(', ')} < ${MIN_GEMM_DIM}: too small for TensorRT's INT8 GEMM kernels`;
  return undefined;
}
