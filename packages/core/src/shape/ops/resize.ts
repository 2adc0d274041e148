/**
 * Shape rules of resampling and padding: Resize (scales or sizes, opset 10 to 19 input
 * layouts, axes), Upsample (attribute scales before opset 9, input from 9), Pad
 * (attribute pads before opset 11, input from 11, axes from 18).
 * Example: Resize of `['N', 8, 'H', 'W']` with scales `[1, 1, 2, 2]` gives `['N', 8, '2*H', '2*W']`.
 */
import { attrFloat, attrInts, attrString, getAttr, type Dim } from '../../ir/graph.js';
import { normalizeAxis } from '../dims.js';
import { fail, type RuleContext, type ShapeRule } from '../types.js';
import { info } from './common.js';

/** Numbers of input `i` (constant or tracked), undefined when absent, empty or unknown. */
function numbers(ctx: RuleContext, i: number): number[] | undefined {
  if (!ctx.has(i)) return undefined;
  const c = ctx.constant(i);
  if (c && c.dtype !== 'string') return c.size ? c.toNumbers() : undefined;
  const v = ctx.ints(i);
  return v?.length ? v : undefined;
}

/** `floor(d * scale)`, exact for numbers and integer scales of symbols. */
function scaled(ctx: RuleContext, d: Dim, scale: number): Dim {
  if (typeof d === 'number') return Math.floor(d * scale);
  if (scale === 1) return d;
  return Number.isInteger(scale) ? ctx.dims.mul(d, scale) : null;
}

function resampled(ctx: RuleContext, xs: Dim[], scales: number[] | undefined, sizes: Dim[] | undefined, axes: number[]): Dim[] | undefined {
  const out = [...xs];
  if (sizes) {
    if (sizes.length !== axes.length) fail(`sizes has ${sizes.length} entries for ${axes.length} axes`);
    const policy = attrString(ctx.node, 'keep_aspect_ratio_policy', 'stretch');
    if (policy === 'stretch') {
      axes.forEach((a, i) => { out[a] = sizes[i]!; });
      return out;
    }
    const ratios = axes.map((a, i) => (typeof xs[a] === 'number' && typeof sizes[i] === 'number' ? (sizes[i] as number) / (xs[a] as number) : NaN));
    if (ratios.some(Number.isNaN)) {
      for (const a of axes) out[a] = null;
      return out;
    }
    const r = policy === 'not_larger' ? Math.min(...ratios) : Math.max(...ratios);
    axes.forEach((a) => { out[a] = Math.round(r * (xs[a] as number)); });
    return out;
  }
  if (!scales) return ctx.noShape('neither scales nor sizes is known');
  if (scales.length !== axes.length) fail(`scales has ${scales.length} entries for ${axes.length} axes`);
  axes.forEach((a, i) => { out[a] = scaled(ctx, xs[a]!, scales[i]!); });
  return out;
}

const resize: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  const xs = x.shape;
  if (!xs) return [info(x.dtype, ctx.noShape('input has no known shape'))];
  const rank = xs.length;
  const rawAxes = attrInts(ctx.node, 'axes');
  const axes = rawAxes ? rawAxes.map((a) => normalizeAxis(a, rank) ?? fail(`axis ${a} out of range`)) : xs.map((_, i) => i);
  let scales: number[] | undefined;
  let sizes: Dim[] | undefined;
  if (ctx.opset < 11) scales = numbers(ctx, 1);
  else {
    scales = numbers(ctx, 2);
    if (ctx.has(3)) {
      const len = ctx.input(3)?.shape;
      sizes = ctx.values(3) ?? (len?.length === 1 && len[0] === 0 ? undefined : new Array<Dim>(axes.length).fill(null));
      if (sizes?.length === 0) sizes = undefined;
    }
  }
  return [info(x.dtype, resampled(ctx, xs, scales, sizes, axes))];
};

const upsample: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  const xs = x.shape;
  if (!xs) return [info(x.dtype, ctx.noShape('input has no known shape'))];
  const attr = getAttr(ctx.node, 'scales');
  const scales = attr?.kind === 'floats' ? attr.value : numbers(ctx, 1);
  if (!scales && attrFloat(ctx.node, 'height_scale', 0) > 0) {
    const s = [1, 1, attrFloat(ctx.node, 'height_scale', 1), attrFloat(ctx.node, 'width_scale', 1)];
    return [info(x.dtype, resampled(ctx, xs, s, undefined, xs.map((_, i) => i)))];
  }
  return [info(x.dtype, resampled(ctx, xs, scales, undefined, xs.map((_, i) => i)))];
};

const pad: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  const xs = x.shape;
  if (!xs) return [info(x.dtype, ctx.noShape('input has no known shape'))];
  const rank = xs.length;
  const pads: Dim[] | undefined = ctx.opset < 11 ? attrInts(ctx.node, 'pads') ?? attrInts(ctx.node, 'paddings') : ctx.values(1);
  if (!pads) return [info(x.dtype, xs.map(() => null))];
  let axes = xs.map((_, i) => i);
  if (ctx.opset >= 18 && ctx.has(3)) {
    const a = ctx.ints(3);
    if (!a) return [info(x.dtype, xs.map(() => null))];
    axes = a.map((v) => normalizeAxis(v, rank) ?? fail(`axis ${v} out of range`));
  }
  if (pads.length !== 2 * axes.length) fail(`pads has ${pads.length} entries for ${axes.length} axes`);
  const out = [...xs];
  axes.forEach((a, i) => { out[a] = ctx.dims.add(ctx.dims.add(xs[a]!, pads[i]!), pads[i + axes.length]!); });
  return [info(x.dtype, out)];
};

/** Resampling and padding rules by op type. */
export const resizeRules: ReadonlyArray<[string, ShapeRule]> = [
  ['Resize', resize],
  ['Upsample', upsample],
  ['Pad', pad],
];
