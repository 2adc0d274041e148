/**
 * Concat: every input is quantized with its own range and the output gets its own range
 * (the union of the inputs'). onnxruntime fuses the pattern into QLinearConcat, which
 * requantizes inputs whose parameters differ from the output's. Sharing one input's
 * parameters would clip the values of the others, so the output is never shared.
 */
import { markFloatInput, nonFloatReason, type OpHandler } from '@qtk/core';

/** Static handler for Concat. */
export const concatHandler: OpHandler = {
  opTypes: ['Concat'],
  annotate(node, ctx) {
    const inputs = node.inputs.filter((i) => i !== '');
    if (!inputs.length) return 'no inputs';
    for (const v of inputs) {
      const bad = nonFloatReason(ctx, v);
      if (bad) return bad;
    }
    for (const v of inputs) markFloatInput(ctx, v);
    ctx.markActivation(node.outputs[0]!);
  },
};
