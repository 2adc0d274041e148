/** Conv and ConvTranspose: activation in, per-output-channel weights, int32 bias, activation out. */
import type { OpHandler } from '@qtk/core';

/** Static handler for Conv (weights axis 0) and ConvTranspose (weights axis 1). */
export const convHandler: OpHandler = {
  opTypes: ['Conv', 'ConvTranspose'],
  annotate(node, ctx) {
    const [x, w, b] = node.inputs;
    if (!x || !w || !ctx.isConstant(w)) return 'weight is not a constant';
    const axis = node.opType === 'Conv' ? 0 : 1;
    ctx.markActivation(x);
    ctx.markWeight(w, axis);
    if (b && ctx.isConstant(b)) ctx.markBias(b, x, w, 0);
    ctx.markActivation(ctx.outputAfterActivation(node));
  },
};
