/**
 * Shape rules of pooling: MaxPool, AveragePool, LpPool (kernel, strides, pads,
 * ceil_mode, auto_pad) and the global pools, which keep N and C and make every
 * spatial dim 1. Example: MaxPool k2 s2 over `['N', 8, 7, 7]` gives `['N', 8, 3, 3]`
 * (`['N', 8, 4, 4]` with ceil_mode).
 */
import { attrInts, type Dim } from '../../ir/graph.js';
import { fail, type ShapeRule } from '../types.js';
import { info } from './common.js';
import { windowAttrs, windowOutput } from './conv.js';

const pool: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  const xs = x.shape;
  let shape: Dim[] | undefined;
  if (!xs) shape = ctx.noShape('input has no known shape');
  else {
    if (xs.length < 3) fail(`input rank ${xs.length} is below 3`);
    const kernel = attrInts(ctx.node, 'kernel_shape') ?? fail('pool has no kernel_shape');
    if (kernel.length !== xs.length - 2) fail(`kernel_shape has ${kernel.length} axes, input has ${xs.length - 2} spatial axes`);
    shape = [xs[0]!, xs[1]!, ...windowOutput(ctx.dims, xs.slice(2), windowAttrs(ctx, kernel))];
  }
  const y = info(x.dtype, shape);
  return ctx.node.opType === 'MaxPool' ? [y, info('int64', shape)] : [y];
};

const globalPool: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  const xs = x.shape;
  if (!xs) return [info(x.dtype, ctx.noShape('input has no known shape'))];
  if (xs.length < 2) fail(`input rank ${xs.length} is below 2`);
  return [info(x.dtype, [xs[0]!, xs[1]!, ...xs.slice(2).map(() => 1)])];
};

/** Pooling rules by op type. */
export const poolRules: ReadonlyArray<[string, ShapeRule]> = [
  ['MaxPool', pool],
  ['AveragePool', pool],
  ['LpPool', pool],
  ['GlobalAveragePool', globalPool],
  ['GlobalMaxPool', globalPool],
  ['GlobalLpPool', globalPool],
];
