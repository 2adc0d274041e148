/**
 * Shape rules of reductions: Reduce* (axes as attribute or, from opset 13/18, as input;
 * keepdims; noop_with_empty_axes), ArgMax/ArgMin, TopK. Example: ReduceMean over
 * axes `[-1]` of `['N', 'T', 64]` gives `['N', 'T', 1]`, or `['N', 'T']` with keepdims 0.
 */
import { attrInt, type Dim } from '../../ir/graph.js';
import { fail, type ShapeRule } from '../types.js';
import { axesOf, axisAttr, info } from './common.js';

const REDUCE = ['ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare'];

const reduce: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  const xs = x.shape;
  if (!xs) return [info(x.dtype, ctx.noShape('input has no known shape'))];
  const keep = attrInt(ctx.node, 'keepdims', 1) === 1;
  const axes = axesOf(ctx, 1, xs.length);
  if (axes === null) return [info(x.dtype, keep ? xs.map(() => null) : ctx.noShape('axes input is not constant'))];
  if ((axes === undefined || axes.length === 0) && attrInt(ctx.node, 'noop_with_empty_axes', 0) === 1) return [info(x.dtype, [...xs], x.value)];
  const set = new Set(axes && axes.length ? axes : xs.map((_, i) => i));
  const out: Dim[] = [];
  xs.forEach((d, i) => {
    if (!set.has(i)) out.push(d);
    else if (keep) out.push(1);
  });
  let value: Dim[] | undefined;
  if (x.value && xs.length === 1 && (ctx.node.opType === 'ReduceProd' || ctx.node.opType === 'ReduceSum')) {
    const d = ctx.dims;
    value = [x.value.reduce<Dim>((a, b) => (ctx.node.opType === 'ReduceProd' ? d.mul(a, b) : d.add(a, b)), ctx.node.opType === 'ReduceProd' ? 1 : 0)];
  }
  return [info(x.dtype, out, value)];
};

const argReduce: ShapeRule = (ctx) => {
  const xs = ctx.need(0).shape;
  if (!xs) return [info('int64', ctx.noShape('input has no known shape'))];
  const axis = axisAttr(ctx, xs.length, 0);
  const keep = attrInt(ctx.node, 'keepdims', 1) === 1;
  const out = keep ? xs.map((d, i) => (i === axis ? 1 : d)) : xs.filter((_, i) => i !== axis);
  return [info('int64', out)];
};

const topK: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  if (!x.shape) {
    const reason = ctx.noShape('input has no known shape');
    return [info(x.dtype, reason), info('int64', reason)];
  }
  const axis = axisAttr(ctx, x.shape.length, -1);
  const k = ctx.opset < 10 ? attrInt(ctx.node, 'k') ?? fail('TopK has no k') : ctx.values(1)?.[0] ?? null;
  const out = x.shape.map((d, i) => (i === axis ? k : d));
  return [info(x.dtype, out), info('int64', [...out])];
};

/** Reduction rules by op type. */
export const reduceRules: ReadonlyArray<[string, ShapeRule]> = [
  ...REDUCE.map((op): [string, ShapeRule] => [op, reduce]),
  ['ArgMax', argReduce],
  ['ArgMin', argReduce],
  ['TopK', topK],
];
