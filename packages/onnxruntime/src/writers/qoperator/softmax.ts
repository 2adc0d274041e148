/**
 * Softmax → com.microsoft QLinearSoftmax. The kernel needs the model's opset (before 13
 * Softmax flattens from `axis` on, from 13 it works along `axis` alone) and the axis,
 * whose default also changed at opset 13 (1 before, -1 after).
 */
import { attrInt } from '@qtk/core';
import { unaryQLinear } from './operands.js';
import type { QOperatorRule } from './rule.js';

/** Rule for Softmax. */
export const softmaxRule: QOperatorRule = {
  opTypes: ['Softmax'],
  rewrite(node, ctx) {
    const axis = attrInt(node, 'axis', ctx.opset < 13 ? 1 : -1);
    return unaryQLinear(node, ctx, 'QLinearSoftmax', 'com.microsoft', [
      { name: 'axis', value: { kind: 'int', value: axis } },
      { name: 'opset', value: { kind: 'int', value: ctx.opset } },
    ]);
  },
};
