/**
 * Shape rules of indexing ops: Slice (opset 1 attributes, 10+ inputs; negative and
 * clamped indices), Gather, GatherElements, GatherND, Concat, Split (attribute, input
 * or num_outputs), ScatterND/ScatterElements. Example: Slice of `['N', 10]` with
 * starts `[2]`, ends `[-1]`, axes `[1]` gives `['N', 7]`.
 */
import { attrInt, attrInts, type Dim } from '../../ir/graph.js';
import { normalizeAxis } from '../dims.js';
import { fail, type RuleContext, type ShapeRule } from '../types.js';
import { axisAttr, info } from './common.js';

/** Ends at or beyond this mean "to the end" (PyTorch exports INT64_MAX). */
const HUGE = 2 ** 31 - 1;

/** Length of `start:end:step` over an axis of size `d`, ONNX clamping rules; null when undecidable. */
export function sliceLength(ctx: RuleContext, d: Dim, start: Dim, end: Dim, step: number): Dim {
  if (typeof start === 'number' && typeof end === 'number' && typeof d === 'number') {
    const [s, e] = clampSlice(d, start, end, step);
    return Math.max(0, step > 0 ? Math.ceil((e - s) / step) : Math.ceil((s - e) / -step));
  }
  if (step === 1 && typeof start === 'number' && start >= 0 && d !== null && (end === d || (typeof end === 'number' && end >= HUGE))) {
    return ctx.dims.sub(d, start);
  }
  return null;
}

/** Start and end after ONNX's adjustment of negative indices and clamping. */
export function clampSlice(d: number, start: number, end: number, step: number): [number, number] {
  let s = start < 0 ? start + d : start;
  let e = end < 0 ? end + d : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), d);
    e = Math.min(Math.max(e, 0), d);
  } else {
    s = Math.min(Math.max(s, 0), d - 1);
    e = Math.min(Math.max(e, -1), d - 1);
  }
  return [s, e];
}

const slice: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  const xs = x.shape;
  if (!xs) return [info(x.dtype, ctx.noShape('input has no known shape'))];
  const rank = xs.length;
  const old = ctx.opset < 10;
  const starts = old ? attrInts(ctx.node, 'starts') : ctx.values(1);
  const ends = old ? attrInts(ctx.node, 'ends') : ctx.values(2);
  const rawAxes = old ? attrInts(ctx.node, 'axes') : ctx.has(3) ? ctx.ints(3) : undefined;
  const steps = old ? undefined : ctx.has(4) ? ctx.ints(4) : undefined;
  const axesKnown = rawAxes !== undefined || old || !ctx.has(3);
  if (!axesKnown) return [info(x.dtype, xs.map(() => null))];
  const n = starts?.length ?? ends?.length ?? rawAxes?.length;
  if (n === undefined) return [info(x.dtype, xs.map(() => null))];
  const axes = (rawAxes ?? Array.from({ length: n }, (_, i) => i)).map((a) => normalizeAxis(a, rank) ?? fail(`axis ${a} out of range for rank ${rank}`));
  const out = [...xs];
  const picks: Array<[number, number, number]> = [];
  axes.forEach((a, i) => {
    const step = steps?.[i] ?? 1;
    if (step === 0) fail('slice step is 0');
    const start = starts?.[i] ?? null;
    const end = ends?.[i] ?? null;
    out[a] = starts && ends ? sliceLength(ctx, xs[a]!, start, end, step) : null;
    if (rank === 1 && typeof xs[0] === 'number' && typeof start === 'number' && typeof end === 'number') picks.push([...clampSlice(xs[0], start, end, step), step]);
  });
  let value: Dim[] | undefined;
  if (x.value && picks.length === 1) {
    const [s, e, step] = picks[0]!;
    value = [];
    for (let i = s; step > 0 ? i < e : i > e; i += step) value.push(x.value[i]!);
  }
  return [info(x.dtype, out, value)];
};

const gather: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  const idx = ctx.need(1);
  if (!x.shape || !idx.shape) return [info(x.dtype, ctx.noShape('data or indices has no known shape'))];
  const axis = axisAttr(ctx, x.shape.length, 0);
  const out = [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)];
  let value: Dim[] | undefined;
  const iv = ctx.ints(1);
  const size = x.shape[0];
  if (x.value && iv && x.shape.length === 1 && typeof size === 'number') value = iv.map((i) => x.value![i < 0 ? i + size : i] ?? null);
  return [info(x.dtype, out, value)];
};

const gatherElements: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  return [info(x.dtype, ctx.need(1).shape ?? ctx.noShape('indices has no known shape'))];
};

const gatherND: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  const is = ctx.need(1).shape;
  const last = is?.[is.length - 1];
  if (!x.shape || !is || typeof last !== 'number') return [info(x.dtype, ctx.noShape('data or indices shape not known'))];
  const b = attrInt(ctx.node, 'batch_dims', 0);
  return [info(x.dtype, [...is.slice(0, -1), ...x.shape.slice(b + last)])];
};

const scatter: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  return [info(x.dtype, x.shape ?? ctx.noShape('data has no known shape'))];
};

const concat: ShapeRule = (ctx) => {
  const first = ctx.need(0);
  const shapes: Dim[][] = [];
  for (let i = 0; i < ctx.node.inputs.length; i++) {
    if (!ctx.has(i)) continue;
    const s = ctx.need(i).shape;
    if (!s) return [info(first.dtype, ctx.noShape(`input ${i} has no known shape`))];
    shapes.push(s);
  }
  const rank = shapes[0]!.length;
  if (shapes.some((s) => s.length !== rank)) fail(`inputs have different ranks: ${shapes.map((s) => s.length).join(', ')}`);
  const axis = axisAttr(ctx, rank, 0);
  const out = shapes[0]!.map((_, k) => {
    if (k === axis) return shapes.reduce<Dim>((acc, s) => ctx.dims.add(acc, s[k]!), 0);
    const known = shapes.map((s) => s[k]!).find((d) => typeof d === 'number');
    return known ?? shapes.map((s) => s[k]!).reduce<Dim>((a, b) => (a === b ? a : null), shapes[0]![k]!);
  });
  let value: Dim[] | undefined;
  if (rank === 1) {
    const parts: Dim[][] = [];
    for (let i = 0; i < ctx.node.inputs.length; i++) {
      if (!ctx.has(i)) continue;
      const v = ctx.input(i)?.value;
      if (!v) { parts.length = 0; break; }
      parts.push(v);
    }
    if (parts.length) value = parts.flat();
  }
  return [info(first.dtype, out, value)];
};

const split: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  const count = ctx.node.outputs.length;
  if (!x.shape) {
    const reason = ctx.noShape('input has no known shape');
    return ctx.node.outputs.map(() => info(x.dtype, reason));
  }
  const axis = axisAttr(ctx, x.shape.length, 0);
  const d = x.shape[axis]!;
  let sizes: Dim[] | undefined = attrInts(ctx.node, 'split') ?? (ctx.has(1) ? ctx.ints(1) : undefined);
  if (!sizes && ctx.has(1)) sizes = new Array<Dim>(count).fill(null);
  if (!sizes) {
    const num = attrInt(ctx.node, 'num_outputs');
    if (num !== undefined && num !== count) fail(`num_outputs is ${num} for ${count} outputs`);
    if (num === undefined) {
      sizes = new Array<Dim>(count).fill(ctx.dims.divExact(d, count));
    } else {
      const each = ctx.dims.ceilDiv(d, num);
      sizes = Array.from({ length: num }, (_, i) => (i < num - 1 ? each : ctx.dims.sub(d, ctx.dims.mul(each, num - 1))));
    }
  }
  if (sizes.length !== count) fail(`split has ${sizes.length} sizes for ${count} outputs`);
  return sizes.map((s) => info(x.dtype, x.shape!.map((v, k) => (k === axis ? s : v))));
};

/** Indexing rules by op type. */
export const sliceRules: ReadonlyArray<[string, ShapeRule]> = [
  ['Slice', slice],
  ['Gather', gather],
  ['GatherElements', gatherElements],
  ['GatherND', gatherND],
  ['ScatterND', scatter],
  ['ScatterElements', scatter],
  ['Scatter', scatter],
  ['Concat', concat],
  ['Split', split],
];
