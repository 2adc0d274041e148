/**
 * MatMul → QLinearMatMul: uint8/int8 activations; the second operand either a constant
 * quantized per tensor or per column (2-D, axis 1), or a per-tensor activation.
 */
import { resolveWeight } from '@qtk/core';
import { activationProblem, dequantizedInput, requireDequantized, requireQuantizedOutput } from './operands.js';
import { isPerTensor } from './quantParams.js';
import { outputTypeProblem, weightTypeProblem } from './support.js';
import type { QOperatorRule } from './rule.js';

/** Rule for MatMul. */
export const matMulRule: QOperatorRule = {
  opTypes: ['MatMul'],
  rewrite(node, ctx) {
    const a = dequantizedInput(node, 0, ctx);
    if (a === null || typeof a === 'string') return a;
    const b = requireDequantized(node, resolveWeight(node, 2)!.input, ctx);
    if (typeof b === 'string') return b;
    const y = requireQuantizedOutput(node, ctx);
    if (typeof y === 'string') return y;
    if (!isPerTensor(b.params)) {
      const bt = ctx.constant(b.value);
      const rank = bt?.dims.length;
      const columns = resolveWeight(node, 2)!.channelAxis!;
      if (rank !== 2 || (b.params.axis !== columns && b.params.axis !== columns - 2)) {
        return `second input of '${node.name}' is quantized per axis ${b.params.axis}; QLinearMatMul takes per-column scales of a 2-D constant only`;
      }
    }
    const why = activationProblem(a.params, `first input of '${node.name}'`) ?? activationProblem(y.params, `output of '${node.name}'`)
      ?? weightTypeProblem(a.params.dtype, b.params.dtype) ?? outputTypeProblem(a.params.dtype, y.params.dtype);
    if (why) return why;
    const inputs = [
      a.value, a.params.scale, ctx.zeroPointInput(a.params),
      b.value, b.params.scale, ctx.zeroPointInput(b.params),
      y.params.scale, ctx.zeroPointInput(y.params),
    ];
    return { node: { name: node.name, opType: 'QLinearMatMul', domain: '', inputs, outputs: [y.value], attributes: [] }, drop: [y.node, ...y.fused] };
  },
};
