/**
 * Ops that select elements of their input: ReduceMax/ReduceMin and TopK return input values
 * (their value output shares the input's parameters); ArgMax/ArgMin return int64 indices,
 * so only their input is quantized (onnxruntime then runs them on the integers).
 */
import { unquantizedInputReason, type OpHandler } from '@qtk/core';

/** Static handler for ReduceMax, ReduceMin and TopK: the values output shares the input's parameters. */
export const selectValuesHandler: OpHandler = {
  opTypes: ['ReduceMax', 'ReduceMin', 'TopK'],
  annotate(node, ctx) {
    const x = node.inputs[0];
    if (!x) return 'missing data input';
    const notReady = unquantizedInputReason(ctx, x);
    if (notReady) return notReady;
    ctx.markShared(node.outputs[0]!, x);
  },
};

/**
 * Static handler for ArgMax and ArgMin. Requires a quantized input: quantizing a float
 * input only for the sake of an argmax could merge near-ties and change the result.
 */
export const argExtremumHandler: OpHandler = {
  opTypes: ['ArgMax', 'ArgMin'],
  annotate(node, ctx) {
    const x = node.inputs[0];
    if (!x) return 'missing data input';
    const notReady = unquantizedInputReason(ctx, x);
    if (notReady) return notReady;
    ctx.markActivation(x);
  },
};
