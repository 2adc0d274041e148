/** Conv and ConvTranspose: activation in, per-output-channel weights, int32 bias, activation out. */
import { biasName, resolveWeight, weightName, type OpHandler } from '@qtk/core';

/** Static handler for Conv and ConvTranspose: weights per output channel, on the axis their op contract names. */
export const convHandler: OpHandler = {
  opTypes: ['Conv', 'ConvTranspose'],
  annotate(node, ctx) {
    const x = node.inputs[0];
    const w = weightName(node);
    const b = biasName(node);
    if (!x || !w || !ctx.isConstant(w)) return 'weight is not a constant';
    ctx.markActivation(x);
    ctx.markWeight(w, resolveWeight(node, ctx.rankOf(w)!)!.channelAxis);
    if (b && ctx.isConstant(b)) ctx.markBias(b, x, w, 0);
    ctx.markActivation(ctx.outputAfterActivation(node));
  },
};
