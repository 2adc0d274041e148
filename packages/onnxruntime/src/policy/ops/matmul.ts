/**
 * Gemm and MatMul: activations in, weights per output column, int32 bias, activation out.
 * A MatMul of two activations (attention's Q·Kᵀ and P·V) quantizes both inputs; a constant
 * first input becomes a per-tensor weight.
 */
import { biasName, linearFormProblem, nonFloatReason, resolveWeight, weightName, type OpHandler } from '@qtk/core';

/**
 * Static handler for Gemm (transA=0, alpha=beta=1) and MatMul. A constant B gets per-channel
 * scales along the output-channel axis of its op contract (Gemm's axis 0 when transB=1, else 1;
 * a MatMul weight's last axis). Gemm's 1-D constant C becomes an int32 bias whose per-channel
 * scales match the weight's, which is right for either transB.
 */
export const matmulHandler: OpHandler = {
  opTypes: ['Gemm', 'MatMul'],
  annotate(node, ctx) {
    const a = node.inputs[0];
    const b = weightName(node);
    const c = biasName(node);
    if (!a || !b) return 'missing input';
    const form = linearFormProblem(node);
    if (form) return form;
    for (const v of [a, b]) {
      const bad = nonFloatReason(ctx, v);
      if (bad) return bad;
    }
    if (ctx.isConstant(a)) ctx.markWeight(a, undefined);
    else ctx.markActivation(a);
    if (ctx.isConstant(b)) {
      const rank = ctx.rankOf(b);
      ctx.markWeight(b, rank === undefined ? undefined : resolveWeight(node, rank)!.channelAxis);
      if (c && ctx.isConstant(c) && ctx.rankOf(c) === 1) ctx.markBias(c, a, b, 0);
    } else {
      ctx.markActivation(b);
    }
    ctx.markActivation(ctx.outputAfterActivation(node));
  },
};
