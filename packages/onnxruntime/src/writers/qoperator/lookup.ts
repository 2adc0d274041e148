/**
 * Elementwise activations onnxruntime computes through a 256-entry table:
 * Sigmoid → com.microsoft QLinearSigmoid, LeakyRelu → com.microsoft QLinearLeakyRelu.
 */
import { attrFloat } from '@qtk/core';
import { unaryQLinear } from './operands.js';
import type { QOperatorRule } from './rule.js';

/** Rule for Sigmoid. */
export const sigmoidRule: QOperatorRule = {
  opTypes: ['Sigmoid'],
  rewrite: (node, ctx) => unaryQLinear(node, ctx, 'QLinearSigmoid', 'com.microsoft', []),
};

/** Rule for LeakyRelu (alpha carried over, ONNX default 0.01). */
export const leakyReluRule: QOperatorRule = {
  opTypes: ['LeakyRelu'],
  rewrite: (node, ctx) =>
    unaryQLinear(node, ctx, 'QLinearLeakyRelu', 'com.microsoft', [{ name: 'alpha', value: { kind: 'float', value: attrFloat(node, 'alpha', 0.01) } }]),
};
