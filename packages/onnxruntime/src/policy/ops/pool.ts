/**
 * Pooling. Average pools compute new values and get their own output range (onnxruntime
 * runs them as QLinearAveragePool / QLinearGlobalAveragePool); max pools pick input values,
 * so their output shares the input's parameters.
 */
import { markFloatInput, nonFloatReason, unquantizedInputReason, type OpHandler } from '@qtk/core';

/** Static handler for AveragePool and GlobalAveragePool. */
export const averagePoolHandler: OpHandler = {
  opTypes: ['AveragePool', 'GlobalAveragePool'],
  annotate(node, ctx) {
    const x = node.inputs[0];
    if (!x) return 'missing data input';
    const bad = nonFloatReason(ctx, x);
    if (bad) return bad;
    markFloatInput(ctx, x);
    ctx.markActivation(node.outputs[0]!);
  },
};

/** Static handler for MaxPool and GlobalMaxPool: output shares the input's parameters. */
export const maxPoolHandler: OpHandler = {
  opTypes: ['MaxPool', 'GlobalMaxPool'],
  annotate(node, ctx) {
    const x = node.inputs[0];
    if (!x) return 'missing data input';
    const notReady = unquantizedInputReason(ctx, x);
    if (notReady) return notReady;
    if (node.outputs[1]) return 'MaxPool with an indices output';
    ctx.markShared(node.outputs[0]!, x);
  },
};
