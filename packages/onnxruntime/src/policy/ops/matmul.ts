/**
 * Gemm and MatMul: activations in, weights per output column, int32 bias, activation out.
 * A MatMul of two activations (attention's Q·Kᵀ and P·V) quantizes both inputs; a constant
 * first input becomes a per-tensor weight.
 */
import { attrFloat, attrInt, nonFloatReason, type OpHandler } from '@qtk/core';

/**
 * Static handler for Gemm (transA=0, alpha=beta=1) and MatMul. A constant B gets per-channel
 * scales along its output axis: axis 0 of Gemm's [N,K] weight when transB=1, axis 1 of [K,N]
 * otherwise, the last axis of a MatMul weight. Gemm's 1-D constant C becomes an int32 bias
 * whose per-channel scales match the weight's, which is right for either transB.
 */
export const matmulHandler: OpHandler = {
  opTypes: ['Gemm', 'MatMul'],
  annotate(node, ctx) {
    const [a, b, c] = node.inputs;
    if (!a || !b) return 'missing input';
    if (node.opType === 'Gemm') {
      if (attrInt(node, 'transA', 0) !== 0) return 'transA=1 is not quantized';
      if (attrFloat(node, 'alpha', 1) !== 1 || attrFloat(node, 'beta', 1) !== 1) return 'alpha/beta other than 1';
    }
    for (const v of [a, b]) {
      const bad = nonFloatReason(ctx, v);
      if (bad) return bad;
    }
    if (ctx.isConstant(a)) ctx.markWeight(a, undefined);
    else ctx.markActivation(a);
    if (ctx.isConstant(b)) {
      const rank = ctx.rankOf(b);
      const axis = node.opType === 'Gemm' ? (attrInt(node, 'transB', 0) ? 0 : 1) : rank !== undefined && rank >= 2 ? rank - 1 : undefined;
      ctx.markWeight(b, axis);
      if (c && ctx.isConstant(c) && node.opType === 'Gemm' && ctx.rankOf(c) === 1) ctx.markBias(c, a, b, 0);
    } else {
      ctx.markActivation(b);
    }
    ctx.markActivation(ctx.outputAfterActivation(node));
  },
};
