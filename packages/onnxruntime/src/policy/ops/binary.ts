/** Add and Mul: both inputs and the output as activations (constants get a per-tensor range). */
import type { OpHandler } from '@qtk/core';

/** Static handler for elementwise Add and Mul on float tensors. */
export const binaryHandler: OpHandler = {
  opTypes: ['Add', 'Mul'],
  annotate(node, ctx) {
    const [a, b] = node.inputs;
    if (!a || !b) return 'missing input';
    for (const v of [a, b]) {
      const t = ctx.dtypeOf(v);
      if (t !== undefined && t !== 'float32') return `input '${v}' is ${t}`;
    }
    for (const v of [a, b]) {
      if (ctx.isConstant(v)) ctx.markWeight(v, undefined);
      else ctx.markActivation(v);
    }
    ctx.markActivation(ctx.outputAfterActivation(node));
  },
};
