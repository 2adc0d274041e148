/**
 * Ops that move values without changing them (Reshape, Transpose, Flatten, Squeeze,
 * Unsqueeze, MaxPool, GlobalMaxPool): their output shares the input's scale and zero
 * point, so a runtime can run them on integers. Only when the input is quantized.
 */
import type { OpHandler } from '../annotation.js';

/** Op types whose output reuses the input's quantization parameters. */
export const PASSTHROUGH_OPS = ['Reshape', 'Transpose', 'Flatten', 'Squeeze', 'Unsqueeze', 'MaxPool', 'GlobalMaxPool'] as const;

/** Static handler for parameter-sharing ops. */
export const passthroughHandler: OpHandler = {
  opTypes: PASSTHROUGH_OPS,
  annotate(node, ctx) {
    const x = node.inputs[0]!;
    if (!ctx.isQuantized(x)) return 'input is not quantized';
    if (node.opType === 'MaxPool' && node.outputs.length > 1 && node.outputs[1]) return 'MaxPool with indices output';
    ctx.markShared(node.outputs[0]!, x);
  },
};
