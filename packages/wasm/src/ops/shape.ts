/**
 * Shape and data-movement ops (JS over typed views; folded to constants when their inputs
 * are known at planning): Reshape, Flatten, Squeeze, Unsqueeze, Identity, Transpose, Concat,
 * Split, Slice, Gather, Shape, Constant, ConstantOfShape, Cast, Expand, Where, Range and
 * the comparisons Equal, Less, Greater, Not.
 */
import { QtkError, sizeOf, type Tensor as CoreTensor } from '@qtk/core';
import { constantNodeValue } from '@qtk/core/internal';
import type { NodeCtx } from '../engine/context.js';
import { type DT, valFromCore } from '../engine/value.js';
import { broadcastDims, broadcastStrides, rowMajorStrides } from './broadcast.js';
import { bcastIndex, castTo, rd, wr } from './elementAccess.js';
import { define, type OpDef } from './registry.js';


/** Output 0 holds the same elements as input 0 under new dims (a byte copy at run time). */
function sameData(ctx: NodeCtx, dims: number[]): void {
  const x = ctx.in(0);
  if (sizeOf(dims) !== x.size) throw ctx.shapeError(`cannot view ${x.size} elements as [${dims.join(',')}]`);
  if (x.isConst) {
    ctx.constOut(0, x.dtype, dims, x.data!);
    return;
  }
  const y = ctx.out(0, x.dtype, dims);
  const bytes = x.bytes;
  ctx.step(() => new Uint8Array(ctx.k.memory.buffer).copyWithin(y.off, x.off, x.off + bytes), [x], [y]);
}

function axesInput(ctx: NodeCtx, idx: number, attrFromOpset: number): number[] | undefined {
  if (ctx.opset < attrFromOpset) return ctx.ints('axes');
  const v = ctx.opt(idx);
  if (!v) return undefined;
  ctx.needConst(v, 'axes');
  return v.nums();
}

function planReshape(ctx: NodeCtx): void {
  const x = ctx.in(0);
  const shape = ctx.constIn(1, 'shape').nums();
  const allowZero = ctx.int('allowzero', 0) === 1;
  const dims = shape.map((d, i) => (d === 0 && !allowZero ? x.dims[i]! : d));
  const neg = dims.indexOf(-1);
  if (neg >= 0) {
    const rest = sizeOf(dims.filter((_, i) => i !== neg));
    if (rest === 0 || x.size % rest !== 0) throw ctx.shapeError(`cannot reshape [${x.dims.join(',')}] to [${shape.join(',')}]`);
    dims[neg] = x.size / rest;
  }
  sameData(ctx, dims);
}

function planFlatten(ctx: NodeCtx): void {
  const x = ctx.in(0);
  const axis = ctx.axis(ctx.int('axis', 1), x.dims.length, true);
  sameData(ctx, [sizeOf(x.dims.slice(0, axis)), sizeOf(x.dims.slice(axis))]);
}

function planSqueeze(ctx: NodeCtx): void {
  const x = ctx.in(0);
  const axes = axesInput(ctx, 1, 13)?.map((a) => ctx.axis(a, x.dims.length));
  sameData(ctx, x.dims.filter((d, i) => (axes ? !axes.includes(i) : d !== 1)));
}

function planUnsqueeze(ctx: NodeCtx): void {
  const x = ctx.in(0);
  const axes = axesInput(ctx, 1, 13);
  if (!axes) throw ctx.unsupported('missing axes');
  const rank = x.dims.length + axes.length;
  const norm = axes.map((a) => ctx.axis(a, rank)).sort((a, b) => a - b);
  const dims = [...x.dims];
  for (const a of norm) dims.splice(a, 0, 1);
  sameData(ctx, dims);
}

function planTranspose(ctx: NodeCtx): void {
  const x = ctx.in(0);
  const r = x.dims.length;
  const perm = ctx.ints('perm') ?? x.dims.map((_, i) => r - 1 - i);
  const dims = perm.map((p) => x.dims[p]!);
  const inStr = rowMajorStrides(x.dims);
  const str = perm.map((p) => inStr[p]!);
  ctx.js([{ dtype: x.dtype, dims }], ([a], [o]) => {
    const n = o!.length;
    const idx = new Array<number>(r).fill(0);
    let src = 0;
    for (let i = 0; i < n; i++) {
      (o as Float32Array)[i] = (a as Float32Array)[src]!;
      for (let d = r - 1; d >= 0; d--) {
        idx[d]!++;
        src += str[d]!;
        if (idx[d]! < dims[d]!) break;
        src -= str[d]! * dims[d]!;
        idx[d] = 0;
      }
    }
  });
}

function planConcat(ctx: NodeCtx): void {
  const ins = ctx.node.inputs.map((_, i) => ctx.in(i)).filter((v) => v.size > 0 || v.dims.length > 0);
  const first = ins[0]!;
  const axis = ctx.axis(ctx.int('axis', 0), first.dims.length);
  for (const v of ins) {
    if (v.dtype !== first.dtype || v.dims.length !== first.dims.length || v.dims.some((d, i) => i !== axis && d !== first.dims[i])) {
      throw ctx.shapeError(`inputs [${first.dims.join(',')}] and [${v.dims.join(',')}] do not concatenate on axis ${axis}`);
    }
  }
  const dims = [...first.dims];
  dims[axis] = ins.reduce((a, v) => a + v.dims[axis]!, 0);
  const outer = sizeOf(dims.slice(0, axis));
  const blocks = ins.map((v) => sizeOf(v.dims.slice(axis)));
  const idx = ctx.node.inputs.map((_, i) => i).filter((i) => { const v = ctx.in(i); return v.size > 0 || v.dims.length > 0; });
  ctx.js([{ dtype: first.dtype, dims }], (arrs, [o]) => {
    let p = 0;
    for (let r = 0; r < outer; r++) {
      idx.forEach((ii, j) => {
        const a = arrs[ii]! as Float32Array, b = blocks[j]!;
        (o as Float32Array).set(a.subarray(r * b, (r + 1) * b), p);
        p += b;
      });
    }
  });
}

function planSplit(ctx: NodeCtx): void {
  const x = ctx.in(0);
  const axis = ctx.axis(ctx.int('axis', 0), x.dims.length);
  const nOut = ctx.node.outputs.length;
  if (ctx.opset >= 13 && ctx.opt(1)) ctx.needConst(ctx.opt(1)!, 'split');
  let sizes = ctx.opset >= 13 ? ctx.opt(1)?.nums() : ctx.ints('split');
  const D = x.dims[axis]!;
  if (!sizes) {
    const part = Math.ceil(D / nOut);
    sizes = Array.from({ length: nOut }, (_, i) => Math.max(0, Math.min(part, D - i * part)));
  }
  if (sizes.reduce((a, b) => a + b, 0) !== D) throw ctx.shapeError(`split sizes [${sizes.join(',')}] do not sum to ${D}`);
  const outer = sizeOf(x.dims.slice(0, axis)), inner = sizeOf(x.dims.slice(axis + 1));
  const outs = sizes.map((s) => ({ dtype: x.dtype, dims: x.dims.map((d, i) => (i === axis ? s : d)) }));
  ctx.js(outs, ([a], os) => {
    let start = 0;
    sizes!.forEach((s, j) => {
      const o = os[j]! as Float32Array;
      for (let r = 0; r < outer; r++) o.set((a as Float32Array).subarray((r * D + start) * inner, (r * D + start + s) * inner), r * s * inner);
      start += s;
    });
  });
}

function planSlice(ctx: NodeCtx): void {
  const x = ctx.in(0);
  const r = x.dims.length;
  let starts: number[], ends: number[], axes: number[] | undefined, steps: number[] | undefined;
  if (ctx.opset < 10) {
    starts = ctx.ints('starts') ?? []; ends = ctx.ints('ends') ?? []; axes = ctx.ints('axes');
  } else {
    starts = ctx.constIn(1, 'starts').nums(); ends = ctx.constIn(2, 'ends').nums();
    axes = ctx.opt(3) ? ctx.constIn(3, 'axes').nums() : undefined;
    steps = ctx.opt(4) ? ctx.constIn(4, 'steps').nums() : undefined;
  }
  const st = new Array<number>(r).fill(0), step = new Array<number>(r).fill(1), dims = [...x.dims];
  (axes ?? starts.map((_, i) => i)).forEach((a0, i) => {
    const a = ctx.axis(a0, r);
    const D = x.dims[a]!;
    const sp = steps?.[i] ?? 1;
    if (sp === 0) throw ctx.shapeError('slice step 0');
    const clampS = (v: number) => (v < 0 ? v + D : v);
    let s = clampS(starts[i]!), e = clampS(ends[i]!);
    if (sp > 0) { s = Math.min(Math.max(s, 0), D); e = Math.min(Math.max(e, 0), D); }
    else { s = Math.min(Math.max(s, -1), D - 1); e = Math.min(Math.max(e, -1), D - 1); }
    st[a] = s; step[a] = sp;
    dims[a] = Math.max(0, sp > 0 ? Math.ceil((e - s) / sp) : Math.ceil((s - e) / -sp));
  });
  const inStr = rowMajorStrides(x.dims);
  ctx.js([{ dtype: x.dtype, dims }], ([a], [o]) => {
    const n = o!.length;
    for (let i = 0; i < n; i++) {
      let rem = i, src = 0;
      for (let d = r - 1; d >= 0; d--) {
        const c = rem % dims[d]!;
        rem = Math.floor(rem / dims[d]!);
        src += (st[d]! + c * step[d]!) * inStr[d]!;
      }
      (o as Float32Array)[i] = (a as Float32Array)[src]!;
    }
  });
}

function planGather(ctx: NodeCtx): void {
  const x = ctx.in(0), ind = ctx.in(1);
  const axis = ctx.axis(ctx.int('axis', 0), x.dims.length);
  const dims = [...x.dims.slice(0, axis), ...ind.dims, ...x.dims.slice(axis + 1)];
  const outer = sizeOf(x.dims.slice(0, axis)), inner = sizeOf(x.dims.slice(axis + 1)), D = x.dims[axis]!;
  const name = ctx.node.name;
  ctx.js([{ dtype: x.dtype, dims }], ([a, idx], [o]) => {
    const m = idx!.length;
    for (let j = 0; j < m; j++) {
      let k = rd(idx!, j);
      if (k < 0) k += D;
      if (k < 0 || k >= D) throw new QtkError('E_SHAPE', `Gather node '${name}': index ${rd(idx!, j)} out of range for axis of ${D}`, { node: name });
      for (let r = 0; r < outer; r++) {
        (o as Float32Array).set((a as Float32Array).subarray((r * D + k) * inner, (r * D + k + 1) * inner), (r * m + j) * inner);
      }
    }
  });
}

function planShape(ctx: NodeCtx): void {
  const x = ctx.in(0);
  const r = x.dims.length;
  const norm = (v: number) => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
  const start = norm(ctx.int('start', 0)), end = ctx.has('end') ? norm(ctx.int('end', r)) : r;
  const d = x.dims.slice(start, Math.max(start, end));
  ctx.constOut(0, 'int64', [d.length], BigInt64Array.from(d.map(BigInt)));
}

function planSize(ctx: NodeCtx): void {
  ctx.constOut(0, 'int64', [], BigInt64Array.of(BigInt(ctx.in(0).size)));
}

function planConstant(ctx: NodeCtx): void {
  const a = ctx.node.attributes[0];
  if (!a) throw ctx.unsupported('no value attribute');
  const t = constantNodeValue(ctx.node);
  if (!t || t.dtype === 'string') throw ctx.unsupported(`value attribute '${a.name}'`);
  const c = valFromCore(ctx.node.outputs[0]!, t);
  ctx.constOut(0, c.dtype, c.dims, c.data!);
}

function planConstantOfShape(ctx: NodeCtx): void {
  const dims = ctx.constIn(0, 'shape').nums();
  const a = ctx.node.attributes.find((t) => t.name === 'value');
  let dt: DT = 'float32', fill = 0;
  if (a?.value.kind === 'tensor') {
    const c = valFromCore('value', a.value.value as CoreTensor);
    dt = c.dtype; fill = c.num(0);
  }
  ctx.js([{ dtype: dt, dims }], (_, [o]) => { for (let i = 0; i < o!.length; i++) wr(o!, i, fill); });
}

const CAST: Record<number, DT> = { 1: 'float32', 2: 'uint8', 3: 'int8', 6: 'int32', 7: 'int64', 9: 'bool' };

function planCast(ctx: NodeCtx): void {
  const x = ctx.in(0);
  const to = CAST[ctx.int('to', 0)];
  if (!to) throw ctx.unsupported(`cast to ONNX type ${ctx.int('to', 0)}`);
  if (to === x.dtype) { sameData(ctx, [...x.dims]); return; }
  castTo(ctx, x, to);
}

function planExpand(ctx: NodeCtx): void {
  const x = ctx.in(0);
  const shape = ctx.constIn(1, 'shape').nums();
  const dims = broadcastDims(x.dims, shape, ctx.node.name);
  const sx = broadcastStrides(x.dims, dims);
  ctx.js([{ dtype: x.dtype, dims }], ([a], [o]) => {
    for (let i = 0; i < o!.length; i++) (o as Float32Array)[i] = (a as Float32Array)[bcastIndex(i, dims, sx)]!;
  });
}

function planWhere(ctx: NodeCtx): void {
  const c = ctx.in(0), x = ctx.in(1), y = ctx.in(2);
  if (x.dtype !== y.dtype) throw ctx.unsupported(`mixed types ${x.dtype} and ${y.dtype}`);
  const dims = broadcastDims(broadcastDims(c.dims, x.dims, ctx.node.name), y.dims, ctx.node.name);
  const [sc, sx, sy] = [c, x, y].map((v) => broadcastStrides(v.dims, dims));
  ctx.js([{ dtype: x.dtype, dims }], ([cc, a, b], [o]) => {
    for (let i = 0; i < o!.length; i++) {
      (o as Float32Array)[i] = rd(cc!, bcastIndex(i, dims, sc!)) ? (a as Float32Array)[bcastIndex(i, dims, sx!)]! : (b as Float32Array)[bcastIndex(i, dims, sy!)]!;
    }
  });
}

function planCompare(ctx: NodeCtx): void {
  const op = ctx.node.opType;
  if (op === 'Not') {
    const x = ctx.in(0);
    ctx.js([{ dtype: 'bool', dims: x.dims }], ([a], [o]) => { for (let i = 0; i < o!.length; i++) o![i] = rd(a!, i) ? 0 : 1; });
    return;
  }
  const a = ctx.in(0), b = ctx.in(1);
  const dims = broadcastDims(a.dims, b.dims, ctx.node.name);
  const [sa, sb] = [a, b].map((v) => broadcastStrides(v.dims, dims));
  const f = op === 'Equal' ? (p: number, q: number) => p === q : op === 'Less' ? (p: number, q: number) => p < q : (p: number, q: number) => p > q;
  ctx.js([{ dtype: 'bool', dims }], ([x, y], [o]) => {
    for (let i = 0; i < o!.length; i++) o![i] = f(rd(x!, bcastIndex(i, dims, sa!)), rd(y!, bcastIndex(i, dims, sb!))) ? 1 : 0;
  });
}

function planRange(ctx: NodeCtx): void {
  const [s, l, d] = [0, 1, 2].map((i) => ctx.constIn(i).num(0));
  const n = Math.max(0, Math.ceil((l! - s!) / d!));
  ctx.js([{ dtype: ctx.in(0).dtype, dims: [n] }], (_, [o]) => { for (let i = 0; i < n; i++) wr(o!, i, s! + i * d!); });
}

/** Registers the shape and data-movement ops. */
export function registerShape(t: Map<string, OpDef>): void {
  define(t, ['Reshape'], { plan: planReshape });
  define(t, ['Flatten'], { plan: planFlatten });
  define(t, ['Squeeze'], { plan: planSqueeze });
  define(t, ['Unsqueeze'], { plan: planUnsqueeze });
  define(t, ['Identity'], { plan: (ctx) => sameData(ctx, [...ctx.in(0).dims]) });
  define(t, ['Transpose'], { plan: planTranspose });
  define(t, ['Concat'], { plan: planConcat });
  define(t, ['Split'], { plan: planSplit });
  define(t, ['Slice'], { plan: planSlice });
  define(t, ['Gather'], { plan: planGather });
  define(t, ['Shape'], { plan: planShape });
  define(t, ['Size'], { plan: planSize });
  define(t, ['Constant'], { plan: planConstant });
  define(t, ['ConstantOfShape'], { plan: planConstantOfShape });
  define(t, ['Cast'], { plan: planCast });
  define(t, ['Expand'], { plan: planExpand });
  define(t, ['Where'], { plan: planWhere });
  define(t, ['Equal', 'Less', 'Greater', 'Not'], { plan: planCompare });
  define(t, ['Range'], { plan: planRange });
}
