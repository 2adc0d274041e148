/**
 * Gemm and MatMul: Q/DQ on both inputs, per tensor for a computed input and per output
 * channel for a constant weight (the axis of the op contract: Gemm's 0 with transB=1, else
 * 1; a MatMul weight's last axis). Bias and output stay float. GEMVs, GEMMs with K or N
 * below 16 and the attention core stay float.
 */
import { linearFormProblem, nonFloatReason, resolveWeight, type OpHandler } from '@qtk/core';
import { smallGemmReason } from './gemmShape.js';
import { isAttentionMatMul } from './attention.js';

/** Static handler for Gemm (plain form: transA=0, alpha=beta=1) and MatMul. */
export const matmulHandler: OpHandler = {
  opTypes: ['Gemm', 'MatMul'],
  annotate(node, ctx) {
    const [a, b] = node.inputs;
    if (!a || !b) return 'missing input';
    const form = linearFormProblem(node);
    if (form) return form;
    const bad = nonFloatReason(ctx, a) ?? nonFloatReason(ctx, b);
    if (bad) return bad;
    if (isAttentionMatMul(ctx.index, node)) return 'attention MatMul (Q·Kᵀ or P·V around a Softmax): TensorRT keeps it float in INT8';
    const small = smallGemmReason(ctx.index, node);
    if (small) return small;
    if (ctx.isConstant(a)) ctx.markWeight(a, undefined);
    else ctx.markActivation(a);
    if (ctx.isConstant(b)) {
      const rank = ctx.rankOf(b);
      ctx.markWeight(b, rank === undefined ? undefined : resolveWeight(node, rank)?.channelAxis);
    } else {
      ctx.markActivation(b);
    }
  },
};
