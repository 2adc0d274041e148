/**
 * Shape rules of normalizations and softmax: the main output keeps the input's shape
 * and type. BatchNormalization's training outputs are per-channel `[C]`;
 * LayerNormalization's Mean/InvStdDev keep the leading dims and set the rest to 1:
 * x `['N', 'T', 64]` with axis -1 gives Mean `['N', 'T', 1]`.
 */
import { attrInt, type Dim } from '../../ir/graph.js';
import { normalizeAxis } from '../dims.js';
import { fail, type ShapeRule } from '../types.js';
import { dtypeAttr, info } from './common.js';

const sameAsInput: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  return [info(x.dtype, x.shape ?? ctx.noShape('input has no known shape'))];
};

const batchNorm: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  const shape = x.shape ?? ctx.noShape('input has no known shape');
  const c: Dim = x.shape?.[1] ?? ctx.input(1)?.shape?.[0] ?? null;
  const outs = [info(x.dtype, shape)];
  for (let k = 1; k < ctx.node.outputs.length; k++) outs.push(info(ctx.input(k >= 3 ? 1 : k + 2)?.dtype ?? x.dtype, [c]));
  return outs;
};

const layerNorm: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  const stash = dtypeAttr(ctx, 'stash_type') ?? 'float32';
  if (!x.shape) {
    const reason = ctx.noShape('input has no known shape');
    return [info(x.dtype, reason), info(stash, reason), info(stash, reason)];
  }
  const rank = x.shape.length;
  const raw = attrInt(ctx.node, 'axis', -1);
  const axis = normalizeAxis(raw, rank) ?? fail(`axis ${raw} is out of range for rank ${rank}`);
  const reduced = x.shape.map((d, i) => (i < axis ? d : 1));
  return [info(x.dtype, x.shape), info(stash, reduced), info(stash, [...reduced])];
};

/** Normalization and softmax rules by op type. */
export const normalizationRules: ReadonlyArray<[string, ShapeRule]> = [
  ['BatchNormalization', batchNorm],
  ['LayerNormalization', layerNorm],
  ['InstanceNormalization', sameAsInput],
  ['GroupNormalization', sameAsInput],
  ['MeanVarianceNormalization', sameAsInput],
  ['LpNormalization', sameAsInput],
  ['Softmax', sameAsInput],
  ['LogSoftmax', sameAsInput],
  ['Hardmax', sameAsInput],
];
