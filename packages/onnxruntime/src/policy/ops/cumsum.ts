/**
 * CumSum: running sums leave the input's range, so the output gets its own range. It has
 * no integer kernel in onnxruntime's CPU provider and runs in float between Q/DQ pairs, so
 * it is quantized only after a quantized producer (newer onnxruntime tools quantize it too).
 */
import { unquantizedInputReason, type OpHandler } from '@qtk/core';

/** Static handler for CumSum; the axis input stays integer. */
export const cumSumHandler: OpHandler = {
  opTypes: ['CumSum'],
  annotate(node, ctx) {
    const x = node.inputs[0];
    if (!x) return 'missing data input';
    const notReady = unquantizedInputReason(ctx, x);
    if (notReady) return notReady;
    ctx.markActivation(node.outputs[0]!);
  },
};
