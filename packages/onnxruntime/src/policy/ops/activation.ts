/**
 * Elementwise activations computing new values: the output gets its own range.
 * Sigmoid, Softmax and LeakyRelu have integer kernels in onnxruntime (QLinearSigmoid,
 * QLinearSoftmax, QLinearLeakyRelu), so their input is quantized wherever it comes from.
 * The others run in float between DequantizeLinear and QuantizeLinear; they are quantized
 * only after a quantized producer, where the Q/DQ pairs cost nothing extra. Relu and Clip
 * reach this handler only when they did not fold into the range of the op before them.
 */
import { markFloatInput, nonFloatReason, unquantizedInputReason, type OpHandler } from '@qtk/core';

/** Activations with an integer kernel in onnxruntime's CPU provider. */
export const INTEGER_KERNEL_ACTIVATIONS = ['Sigmoid', 'Softmax', 'LeakyRelu'] as const;

/** Activations that run in float between Q/DQ pairs. */
export const FLOAT_KERNEL_ACTIVATIONS = ['Relu', 'Clip', 'HardSwish', 'HardSigmoid', 'Tanh', 'Gelu'] as const;

const INTEGER_KERNEL: ReadonlySet<string> = new Set(INTEGER_KERNEL_ACTIVATIONS);

/** Static handler for elementwise activations with their own output range. */
export const activationHandler: OpHandler = {
  opTypes: [...INTEGER_KERNEL_ACTIVATIONS, ...FLOAT_KERNEL_ACTIVATIONS],
  annotate(node, ctx) {
    const x = node.inputs[0];
    if (!x) return 'missing data input';
    const bad = nonFloatReason(ctx, x);
    if (bad) return bad;
    if (!INTEGER_KERNEL.has(node.opType)) {
      const notReady = unquantizedInputReason(ctx, x);
      if (notReady) return notReady;
    }
    markFloatInput(ctx, x);
    ctx.markActivation(node.outputs[0]!);
  },
};
