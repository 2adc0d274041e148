/**
 * Shape rules of layout ops: Reshape (0 copies, -1 infers), Flatten, Squeeze and
 * Unsqueeze (attribute axes before opset 13, input axes from 13), Transpose, Expand,
 * Tile, DepthToSpace, SpaceToDepth. Example: Reshape of `['N', 64, 1, 1]` to `[0, -1]`
 * gives `['N', 64]`.
 */
import { attrInt, attrInts, type Dim } from '../../ir/graph.js';
import { broadcastShapes, normalizeAxis } from '../dims.js';
import { fail, type ShapeRule } from '../types.js';
import { axesOf, info, unknownDims } from './common.js';

const reshape: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  const target = ctx.values(1);
  const xs = x.shape;
  if (!target) {
    const len = ctx.input(1)?.shape;
    const n = len?.length === 1 && typeof len[0] === 'number' ? len[0] : undefined;
    return [info(x.dtype, n === undefined ? ctx.noShape('target shape is not known') : unknownDims(ctx, n))];
  }
  const allowZero = attrInt(ctx.node, 'allowzero', 0) === 1;
  const d = ctx.dims;
  let inferAt = -1;
  const out: Dim[] = target.map((v, i) => {
    if (v === 0 && !allowZero) {
      if (!xs) return null;
      if (i >= xs.length) fail(`target dim ${i} is 0 but the input has rank ${xs.length}`);
      return xs[i]!;
    }
    if (v === -1) {
      if (inferAt >= 0) fail('target shape has more than one -1');
      inferAt = i;
      return null;
    }
    return v;
  });
  if (inferAt >= 0 && xs) out[inferAt] = d.divExact(d.product(xs), d.product(out.filter((_, i) => i !== inferAt)));
  const value = x.value && out.length <= 1 ? x.value : undefined;
  return [info(x.dtype, out, value)];
};

const flatten: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  if (!x.shape) return [info(x.dtype, ctx.noShape('input has no known shape'))];
  const rank = x.shape.length;
  const raw = attrInt(ctx.node, 'axis', 1);
  const axis = raw < 0 ? raw + rank : raw;
  if (axis < 0 || axis > rank) fail(`axis ${raw} is out of range for rank ${rank}`);
  return [info(x.dtype, [ctx.dims.product(x.shape.slice(0, axis)), ctx.dims.product(x.shape.slice(axis))])];
};

const squeeze: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  if (!x.shape) return [info(x.dtype, ctx.noShape('input has no known shape'))];
  const axes = axesOf(ctx, 1, x.shape.length);
  if (axes === null) return [info(x.dtype, ctx.noShape('axes input is not constant'))];
  let drop: Set<number>;
  if (axes === undefined) {
    if (!x.shape.every((d) => typeof d === 'number')) return [info(x.dtype, ctx.noShape('squeeze without axes over symbolic dims'))];
    drop = new Set(x.shape.flatMap((d, i) => (d === 1 ? [i] : [])));
  } else {
    for (const a of axes) {
      const dim = x.shape[a]!;
      if (typeof dim === 'number' && dim !== 1) fail(`cannot squeeze axis ${a} of size ${dim}`);
    }
    drop = new Set(axes);
  }
  const out = x.shape.filter((_, i) => !drop.has(i));
  return [info(x.dtype, out, x.value)];
};

const unsqueeze: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  if (!x.shape) return [info(x.dtype, ctx.noShape('input has no known shape'))];
  const count = attrInts(ctx.node, 'axes')?.length ?? (ctx.ints(1)?.length);
  if (count === undefined) return [info(x.dtype, ctx.noShape('axes input is not constant'))];
  const rank = x.shape.length + count;
  const axes = new Set(axesOf(ctx, 1, rank) ?? []);
  if (axes.size !== count) fail('repeated axes');
  const out: Dim[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) out.push(axes.has(i) ? 1 : x.shape[j++]!);
  return [info(x.dtype, out, x.value)];
};

const transpose: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  if (!x.shape) return [info(x.dtype, ctx.noShape('input has no known shape'))];
  const rank = x.shape.length;
  const perm = attrInts(ctx.node, 'perm') ?? x.shape.map((_, i) => rank - 1 - i);
  if (perm.length !== rank) fail(`perm has ${perm.length} entries for rank ${rank}`);
  return [info(x.dtype, perm.map((p) => x.shape![normalizeAxis(p, rank) ?? fail(`perm entry ${p} out of range`)]!))];
};

const expand: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  let target = ctx.values(1);
  if (!target) {
    const len = ctx.input(1)?.shape;
    if (len?.length !== 1 || typeof len[0] !== 'number') return [info(x.dtype, ctx.noShape('target shape is not known'))];
    const unknown = unknownDims(ctx, len[0]);
    if (!unknown) return [info(x.dtype, undefined)];
    target = unknown;
  }
  if (!x.shape) return [info(x.dtype, ctx.noShape('input has no known shape'))];
  const out = broadcastShapes([x.shape, target]) ?? fail(`[${x.shape.join(',')}] does not expand to [${target.join(',')}]`);
  return [info(x.dtype, out)];
};

const tile: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  const reps = ctx.values(1);
  if (!x.shape) return [info(x.dtype, ctx.noShape('input has no known shape'))];
  if (!reps) return [info(x.dtype, x.shape.map(() => null))];
  if (reps.length !== x.shape.length) fail(`repeats has ${reps.length} entries for rank ${x.shape.length}`);
  return [info(x.dtype, x.shape.map((d, i) => ctx.dims.mul(d, reps[i]!)))];
};

const depthSpace: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  if (!x.shape) return [info(x.dtype, ctx.noShape('input has no known shape'))];
  if (x.shape.length !== 4) fail(`input rank ${x.shape.length} is not 4`);
  const b = attrInt(ctx.node, 'blocksize') ?? fail('blocksize missing');
  const [n, c, h, w] = x.shape as [Dim, Dim, Dim, Dim];
  const d = ctx.dims;
  if (ctx.node.opType === 'DepthToSpace') return [info(x.dtype, [n, d.divExact(c, b * b), d.mul(h, b), d.mul(w, b)])];
  return [info(x.dtype, [n, d.mul(c, b * b), d.divExact(h, b), d.divExact(w, b)])];
};

/** Layout rules by op type. */
export const reshapeRules: ReadonlyArray<[string, ShapeRule]> = [
  ['Reshape', reshape],
  ['Flatten', flatten],
  ['Squeeze', squeeze],
  ['Unsqueeze', unsqueeze],
  ['Transpose', transpose],
  ['Expand', expand],
  ['Tile', tile],
  ['DepthToSpace', depthSpace],
  ['SpaceToDepth', depthSpace],
];
