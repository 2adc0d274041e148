/**
 * More ops in JS (folded when inputs are constant): Pad, LRN, GatherND, MaxPool with its
 * Indices output, and BatchNormalization in training mode.
 */
import { sizeOf } from '@qtk/core';
import type { NodeCtx } from '../engine/context.js';
import { poolWindow, windowOutDims } from './convGeometry.js';
import { rd, wr } from './elementAccess.js';
import { rowMajorStrides } from './broadcast.js';
import { define, type OpDef } from './registry.js';


function planPad(ctx: NodeCtx): void {
  const x = ctx.in(0);
  const r = x.dims.length;
  const mode = ctx.str('mode', 'constant');
  if (!['constant', 'reflect', 'edge', 'wrap'].includes(mode)) throw ctx.unsupported(`mode='${mode}'`);
  let pads: number[], value = 0;
  if (ctx.opset < 11) {
    pads = ctx.ints('pads') ?? [];
    value = ctx.float('value', 0);
  } else {
    pads = ctx.constIn(1, 'pads').nums();
    const v = ctx.opt(2);
    if (v && v.size > 0) value = ctx.needConst(v, 'constant_value').num(0);
    const ax = ctx.opt(3);
    if (ax) {
      const axes = ctx.needConst(ax, 'axes').nums().map((a) => ctx.axis(a, r));
      const full = new Array<number>(2 * r).fill(0);
      axes.forEach((a, i) => { full[a] = pads[i]!; full[a + r] = pads[i + axes.length]!; });
      pads = full;
    }
  }
  if (pads.length !== 2 * r) throw ctx.shapeError(`pads of length ${pads.length} for rank ${r}`);
  const dims = x.dims.map((d, i) => d + pads[i]! + pads[i + r]!);
  const inStr = rowMajorStrides(x.dims);
  ctx.js([{ dtype: x.dtype, dims }], ([a], [o]) => {
    for (let i = 0; i < o!.length; i++) {
      let rem = i, src = 0, inside = true;
      for (let d = r - 1; d >= 0; d--) {
        const c = rem % dims[d]!;
        rem = Math.floor(rem / dims[d]!);
        const n = x.dims[d]!;
        let j = c - pads[d]!;
        if (j < 0 || j >= n) {
          if (mode === 'constant') { inside = false; break; }
          if (mode === 'edge') j = Math.min(Math.max(j, 0), n - 1);
          else if (mode === 'wrap') j = ((j % n) + n) % n;
          else {
            const period = 2 * (n - 1) || 1;
            j = ((j % period) + period) % period;
            if (j >= n) j = period - j;
          }
        }
        src += j * inStr[d]!;
      }
      if (inside) (o as Float32Array)[i] = (a as Float32Array)[src]!;
      else wr(o!, i, value);
    }
  });
}

function planLrn(ctx: NodeCtx): void {
  const x = ctx.in(0);
  const size = ctx.int('size', 0);
  if (size <= 0) throw ctx.unsupported('missing size');
  const alpha = ctx.float('alpha', 1e-4), beta = ctx.float('beta', 0.75), bias = ctx.float('bias', 1);
  const [N, C] = [x.dims[0]!, x.dims[1]!];
  const inner = sizeOf(x.dims.slice(2));
  const lo = Math.floor((size - 1) / 2), hi = Math.ceil((size - 1) / 2);
  ctx.js([{ dtype: 'float32', dims: x.dims }], ([a], [o]) => {
    for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let i = 0; i < inner; i++) {
      let sq = 0;
      for (let k = Math.max(0, c - lo); k <= Math.min(C - 1, c + hi); k++) { const v = rd(a!, (n * C + k) * inner + i); sq += v * v; }
      const at = (n * C + c) * inner + i;
      o![at] = rd(a!, at) / Math.pow(bias + (alpha / size) * sq, beta);
    }
  });
}

function planGatherNd(ctx: NodeCtx): void {
  const x = ctx.in(0), ind = ctx.in(1);
  const b = ctx.int('batch_dims', 0);
  const q = ind.dims.length, k = ind.dims[q - 1]!;
  const dims = [...ind.dims.slice(0, q - 1), ...x.dims.slice(b + k)];
  const batch = sizeOf(x.dims.slice(0, b));
  const slice = sizeOf(x.dims.slice(b + k));
  const perBatchIdx = sizeOf(ind.dims.slice(b, q - 1));
  const xBatch = sizeOf(x.dims.slice(b));
  const str: number[] = [];
  for (let j = 0; j < k; j++) str.push(sizeOf(x.dims.slice(b + j + 1)));
  ctx.js([{ dtype: x.dtype, dims }], ([a, idx], [o]) => {
    for (let bb = 0; bb < batch; bb++) for (let t = 0; t < perBatchIdx; t++) {
      const row = bb * perBatchIdx + t;
      let off = bb * xBatch;
      for (let j = 0; j < k; j++) {
        let v = rd(idx!, row * k + j);
        if (v < 0) v += x.dims[b + j]!;
        off += v * str[j]!;
      }
      (o as Float32Array).set((a as Float32Array).subarray(off, off + slice), row * slice);
    }
  });
}

function planMaxPoolIndices(ctx: NodeCtx): void {
  const x = ctx.in(0);
  const { g, C, planes } = poolWindow(ctx, x.dims);
  const colMajor = ctx.int('storage_order', 0) === 1;
  const dims = windowOutDims(x.dims, C, g);
  ctx.js([{ dtype: x.dtype, dims }, { dtype: 'int64', dims }], ([a], [o, idx]) => {
    for (let p = 0; p < planes; p++) for (let oh = 0; oh < g.OH; oh++) for (let ow = 0; ow < g.OW; ow++) {
      let best = -Infinity, at = -1;
      for (let ky = 0; ky < g.kh; ky++) {
        const ih = oh * g.sh - g.pt + ky * g.dh;
        if (ih < 0 || ih >= g.H) continue;
        for (let kx = 0; kx < g.kw; kx++) {
          const iw = ow * g.sw - g.pl + kx * g.dw;
          if (iw < 0 || iw >= g.W) continue;
          const v = rd(a!, (p * g.H + ih) * g.W + iw);
          if (v > best) { best = v; at = colMajor ? p * g.H * g.W + iw * g.H + ih : (p * g.H + ih) * g.W + iw; }
        }
      }
      const i = (p * g.OH + oh) * g.OW + ow;
      wr(o!, i, best);
      wr(idx!, i, at);
    }
  });
}

function planBatchNormTraining(ctx: NodeCtx): void {
  const x = ctx.in(0);
  const eps = ctx.float('epsilon', 1e-5), momentum = ctx.float('momentum', 0.9);
  const [N, C] = [x.dims[0]!, x.dims[1]!];
  const inner = sizeOf(x.dims.slice(2));
  const outs = [{ dtype: 'float32' as const, dims: x.dims }];
  if (ctx.node.outputs[1]) outs.push({ dtype: 'float32', dims: [C] });
  if (ctx.node.outputs[2]) outs.push({ dtype: 'float32', dims: [C] });
  ctx.js(outs, ([a, sc, bi, mean, vr], [y, rm, rv]) => {
    for (let c = 0; c < C; c++) {
      let s = 0, s2 = 0;
      for (let n = 0; n < N; n++) for (let i = 0; i < inner; i++) { const v = rd(a!, (n * C + c) * inner + i); s += v; s2 += v * v; }
      const cnt = N * inner, m = s / cnt, v = s2 / cnt - m * m;
      const k = rd(sc!, c) / Math.sqrt(v + eps);
      for (let n = 0; n < N; n++) for (let i = 0; i < inner; i++) { const at = (n * C + c) * inner + i; y![at] = (rd(a!, at) - m) * k + rd(bi!, c); }
      if (rm) rm[c] = rd(mean!, c) * momentum + m * (1 - momentum);
      if (rv) rv[c] = rd(vr!, c) * momentum + v * (1 - momentum);
    }
  });
}

/** Variants that the main planners hand over to this file. */
export const extraPlanners = { maxPoolWithIndices: planMaxPoolIndices, batchNormTraining: planBatchNormTraining };

/** Registers Pad, LRN and GatherND. */
export function registerExtra(t: Map<string, OpDef>): void {
  define(t, ['Pad'], { plan: planPad });
  define(t, ['LRN'], { plan: planLrn });
  define(t, ['GatherND'], { plan: planGatherNd });
}
