/**
 * Gather, GatherElements and GatherND pick elements of their data input by index: the data
 * is quantized, the indices are not, and the output shares the data's parameters. A constant
 * table (an embedding) becomes an int8 weight read only by this node.
 */
import { nonFloatReason, unquantizedInputReason, type OpHandler } from '@qtk/core';

/** Static handler for Gather, GatherElements and GatherND. */
export const gatherHandler: OpHandler = {
  opTypes: ['Gather', 'GatherElements', 'GatherND'],
  annotate(node, ctx) {
    const data = node.inputs[0];
    if (!data) return 'missing data input';
    if (ctx.isConstant(data)) {
      const bad = nonFloatReason(ctx, data);
      if (bad) return bad;
      const others = ctx.index.consumers(data).length - 1;
      if (others > 0) return `constant data '${data}' is also read by ${others} other node(s)`;
      if (ctx.index.isGraphOutput(data)) return `constant data '${data}' is also a graph output`;
      ctx.markWeight(data, undefined);
    } else {
      const notReady = unquantizedInputReason(ctx, data);
      if (notReady) return notReady;
    }
    ctx.markShared(node.outputs[0]!, data);
  },
};
