/** Pooling: average pools get their own output range; MaxPool passes its input's parameters on. */
import type { OpHandler } from '../annotation.js';

/** Static handler for AveragePool and GlobalAveragePool. */
export const averagePoolHandler: OpHandler = {
  opTypes: ['AveragePool', 'GlobalAveragePool'],
  annotate(node, ctx) {
    ctx.markActivation(node.inputs[0]!);
    ctx.markActivation(node.outputs[0]!);
  },
};
