/**
 * A Relu or Clip standing alone between DequantizeLinear and QuantizeLinear with the same
 * parameters, whose bounds the quantized range already enforces: on integers it changes
 * nothing, so it becomes an Identity on the integer tensor. (A Relu/Clip right after a
 * rewritten op is dropped by that op's rule instead.)
 */
import { activationProblem, dequantizedInput, requireQuantizedOutput } from './operands.js';
import { sameQuantParams } from './quantParams.js';
import type { QOperatorRule } from './rule.js';

/** Rule for standalone Relu and Clip. */
export const clampRule: QOperatorRule = {
  opTypes: ['Relu', 'Clip'],
  rewrite(node, ctx) {
    const x = dequantizedInput(node, 0, ctx);
    if (x === null || typeof x === 'string') return x;
    const y = requireQuantizedOutput(node, ctx);
    if (typeof y === 'string') return y;
    const why = activationProblem(x.params, `input of '${node.name}'`)
      ?? (sameQuantParams(x.params, y.params) ? undefined : `output of '${node.name}' is quantized unlike its input`)
      ?? ctx.uncoveredBounds(node, y.params);
    if (why) return why;
    return { node: { name: node.name, opType: 'Identity', domain: '', inputs: [x.value], outputs: [y.value], attributes: [] }, drop: [y.node, ...y.fused] };
  },
};
