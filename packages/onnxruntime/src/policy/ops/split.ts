/** Split: every output is a slice of the input and shares the input's scale and zero point. */
import { shareOutputs, unquantizedInputReason, type OpHandler } from '@qtk/core';

/** Static handler for Split (any number of outputs). */
export const splitHandler: OpHandler = {
  opTypes: ['Split'],
  annotate(node, ctx) {
    const x = node.inputs[0];
    if (!x) return 'missing data input';
    const notReady = unquantizedInputReason(ctx, x);
    if (notReady) return notReady;
    shareOutputs(ctx, node.outputs, x);
  },
};
