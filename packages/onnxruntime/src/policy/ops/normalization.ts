/**
 * LayerNormalization, InstanceNormalization and BatchNormalization: input and output are
 * quantized activations (a following Relu folds into the output range). onnxruntime's CPU
 * provider has no integer kernel for them and runs them in float between Q/DQ pairs, so
 * they are quantized only after a quantized producer, and their scale and bias stay float:
 * rounding them to int8 (as onnxruntime's tool does for accelerators) would only add error.
 */
import { unquantizedInputReason, type OpHandler } from '@qtk/core';

/** Static handler for the normalization ops. */
export const normalizationHandler: OpHandler = {
  opTypes: ['LayerNormalization', 'InstanceNormalization', 'BatchNormalization'],
  annotate(node, ctx) {
    const x = node.inputs[0];
    if (!x) return 'missing data input';
    const notReady = unquantizedInputReason(ctx, x);
    if (notReady) return notReady;
    if (node.opType === 'BatchNormalization' && node.outputs.slice(1).some((o) => o !== '')) return 'BatchNormalization in training mode (running statistics outputs)';
    ctx.markActivation(x);
    ctx.markActivation(ctx.outputAfterActivation(node));
  },
};
