/**
 * GlobalAveragePool → com.microsoft QLinearGlobalAveragePool and AveragePool →
 * com.microsoft QLinearAveragePool (NCHW: channels_last = 0).
 */
import { attrInts, type Attribute } from '@qtk/core';
import { unaryQLinear } from './operands.js';
import type { QOperatorRule } from './rule.js';

/** Attributes of AveragePool that QLinearAveragePool takes unchanged. */
const AVERAGE_POOL_ATTRS = new Set(['auto_pad', 'ceil_mode', 'count_include_pad', 'kernel_shape', 'pads', 'strides']);

const NCHW: Attribute = { name: 'channels_last', value: { kind: 'int', value: 0 } };

/** Rule for GlobalAveragePool. */
export const globalAveragePoolRule: QOperatorRule = {
  opTypes: ['GlobalAveragePool'],
  rewrite: (node, ctx) => unaryQLinear(node, ctx, 'QLinearGlobalAveragePool', 'com.microsoft', [NCHW]),
};

/** Rule for AveragePool (no dilations: QLinearAveragePool has none). */
export const averagePoolRule: QOperatorRule = {
  opTypes: ['AveragePool'],
  rewrite(node, ctx) {
    const dilations = attrInts(node, 'dilations');
    if (dilations?.some((d) => d !== 1)) return `AveragePool '${node.name}' has dilations; QLinearAveragePool has none`;
    const unknown = node.attributes.find((a) => a.name !== 'dilations' && !AVERAGE_POOL_ATTRS.has(a.name));
    if (unknown) return `AveragePool '${node.name}' has attribute '${unknown.name}' that QLinearAveragePool lacks`;
    return unaryQLinear(node, ctx, 'QLinearAveragePool', 'com.microsoft', [...node.attributes.filter((a) => a.name !== 'dilations'), NCHW]);
  },
};
