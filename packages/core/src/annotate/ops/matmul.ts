/** Gemm and MatMul: activations in, weights per output column, bias int32, activation out. */
import { attrFloat, attrInt } from '../../ir/graph.js';
import type { OpHandler } from '../annotation.js';

/** Static handler for Gemm (transA=0; weights per output channel) and MatMul. */
export const matmulHandler: OpHandler = {
  opTypes: ['Gemm', 'MatMul'],
  annotate(node, ctx) {
    const [a, b, c] = node.inputs;
    if (!a || !b) return 'missing input';
    if (node.opType === 'Gemm') {
      if (attrInt(node, 'transA', 0) !== 0) return 'transA=1 is not quantized';
      if (attrFloat(node, 'alpha', 1) !== 1 || attrFloat(node, 'beta', 1) !== 1) return 'alpha/beta other than 1';
    }
    ctx.markActivation(a);
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
