/**
 * Shape rules of ops that make tensors from shapes or attributes: Constant, Shape
 * (start/end), Size, ConstantOfShape, Range, EyeLike, NonZero. Shape carries the
 * input's dims as its value: Shape of `['N', 3, 8, 8]` is int64 `[4]` with value
 * `['N', 3, 8, 8]`, which Gather/Concat/Reshape then use.
 */
import { attrInt, getAttr, type Dim } from '../../ir/graph.js';
import { constantNodeValue } from '../constantValue.js';
import { fail, type ShapeRule } from '../types.js';
import { dtypeAttr, info, infoOfConstant, MAX_VALUES, unknownDims } from './common.js';

const constant: ShapeRule = (ctx) => {
  const t = constantNodeValue(ctx.node) ?? fail('Constant has no dense value attribute');
  return [infoOfConstant(t)];
};

const shape: ShapeRule = (ctx) => {
  const xs = ctx.need(0).shape;
  if (!xs) return [info('int64', ctx.noShape('input has no known shape'))];
  const rank = xs.length;
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
  const start = clamp(attrInt(ctx.node, 'start', 0));
  const end = clamp(attrInt(ctx.node, 'end', rank));
  const dims = xs.slice(start, Math.max(start, end));
  return [info('int64', [dims.length], dims)];
};

const size: ShapeRule = (ctx) => {
  const xs = ctx.need(0).shape;
  return [info('int64', [], xs ? [ctx.dims.product(xs)] : undefined)];
};

const constantOfShape: ShapeRule = (ctx) => {
  const fill = getAttr(ctx.node, 'value');
  const dtype = fill?.kind === 'tensor' ? fill.value.dtype : 'float32';
  const target = ctx.values(0);
  if (!target) {
    const len = ctx.input(0)?.shape;
    if (len?.length !== 1 || typeof len[0] !== 'number') return [info(dtype, ctx.noShape('target shape is not known'))];
    return [info(dtype, unknownDims(ctx, len[0]))];
  }
  let value: Dim[] | undefined;
  if (target.length <= 1 && typeof target[0] !== 'string' && target[0] !== null) {
    const n = target.length === 0 ? 1 : (target[0] as number);
    const v = fill?.kind === 'tensor' && fill.value.size > 0 ? fill.value.get(0) : 0;
    if (n <= MAX_VALUES) value = new Array<Dim>(n).fill(v);
  }
  return [info(dtype, target, value)];
};

const range: ShapeRule = (ctx) => {
  const dtype = ctx.need(0).dtype;
  const [start] = ctx.values(0) ?? [null];
  const [limit] = ctx.values(1) ?? [null];
  const [delta] = ctx.values(2) ?? [null];
  if (typeof start === 'number' && typeof limit === 'number' && typeof delta === 'number') {
    if (delta === 0) fail('Range delta is 0');
    const n = Math.max(Math.ceil((limit - start) / delta), 0);
    const value = n <= MAX_VALUES ? Array.from({ length: n }, (_, i) => start + i * delta) : undefined;
    return [info(dtype, [n], value)];
  }
  if (typeof start === 'number' && delta === 1 && limit !== null && limit !== undefined) return [info(dtype, [ctx.dims.sub(limit, start)])];
  return [info(dtype, [null])];
};

const eyeLike: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  return [info(dtypeAttr(ctx, 'dtype') ?? x.dtype, x.shape ?? ctx.noShape('input has no known shape'))];
};

const nonZero: ShapeRule = (ctx) => {
  const xs = ctx.need(0).shape;
  return [info('int64', xs ? [xs.length, null] : ctx.noShape('input has no known shape'))];
};

/** Generator rules by op type. */
export const generatorRules: ReadonlyArray<[string, ShapeRule]> = [
  ['Constant', constant],
  ['Shape', shape],
  ['Size', size],
  ['ConstantOfShape', constantOfShape],
  ['Range', range],
  ['EyeLike', eyeLike],
  ['NonZero', nonZero],
];
