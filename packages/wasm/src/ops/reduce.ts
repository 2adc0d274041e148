/**
 * Reductions (ReduceMean/Sum/Max/Min/Prod/L1/L2/SumSquare/LogSumExp/LogSum) and
 * ArgMax/ArgMin over any axes, in JS (folded when the input is constant).
 */
import { sizeOf } from '@qtk/core';
import type { NodeCtx } from '../engine/context.js';
import { rd, wr } from './elementAccess.js';
import { define, type OpDef } from './registry.js';

type Reducer = { init: number; step: (acc: number, v: number) => number; done: (acc: number, n: number) => number };

const REDUCERS: Record<string, Reducer> = {
  ReduceSum: { init: 0, step: (a, v) => a + v, done: (a) => a },
  ReduceMean: { init: 0, step: (a, v) => a + v, done: (a, n) => a / n },
  ReduceMax: { init: -Infinity, step: (a, v) => (v > a || Number.isNaN(v) ? v : a), done: (a) => a },
  ReduceMin: { init: Infinity, step: (a, v) => (v < a || Number.isNaN(v) ? v : a), done: (a) => a },
  ReduceProd: { init: 1, step: (a, v) => a * v, done: (a) => a },
  ReduceL1: { init: 0, step: (a, v) => a + Math.abs(v), done: (a) => a },
  ReduceL2: { init: 0, step: (a, v) => a + v * v, done: (a) => Math.sqrt(a) },
  ReduceSumSquare: { init: 0, step: (a, v) => a + v * v, done: (a) => a },
  ReduceLogSum: { init: 0, step: (a, v) => a + v, done: (a) => Math.log(a) },
  ReduceLogSumExp: { init: 0, step: (a, v) => a + Math.exp(v), done: (a) => Math.log(a) },
};

/** Opset from which each reduction takes its axes as an input instead of an attribute. */
function axesFromInput(op: string, opset: number): boolean {
  return op === 'ReduceSum' ? opset >= 13 : opset >= 18;
}

/** Strides and the mapping of each input index to its output index for reduced `axes`. */
function layout(dims: readonly number[], axes: Set<number>, keep: boolean): { out: number[]; index: (i: number) => number } {
  const out: number[] = [];
  dims.forEach((d, i) => { if (!axes.has(i)) out.push(d); else if (keep) out.push(1); });
  const outStr: number[] = new Array(dims.length).fill(0);
  let s = 1;
  for (let i = dims.length - 1; i >= 0; i--) { if (!axes.has(i)) { outStr[i] = s; s *= dims[i]!; } }
  return {
    out,
    index: (i: number) => {
      let o = 0;
      for (let d = dims.length - 1; d >= 0; d--) { const n = dims[d]!; o += (i % n) * outStr[d]!; i = Math.floor(i / n); }
      return o;
    },
  };
}

function planReduce(ctx: NodeCtx): void {
  const op = ctx.node.opType;
  const x = ctx.in(0);
  const r = x.dims.length;
  let axes: number[] | undefined;
  if (axesFromInput(op, ctx.opset)) {
    const a = ctx.opt(1);
    axes = a ? ctx.needConst(a, 'axes').nums() : undefined;
  } else axes = ctx.ints('axes');
  const keep = ctx.int('keepdims', 1) === 1;
  if ((!axes || axes.length === 0) && ctx.int('noop_with_empty_axes', 0) === 1) {
    ctx.js([{ dtype: x.dtype, dims: x.dims }], ([a], [o]) => { for (let i = 0; i < o!.length; i++) wr(o!, i, rd(a!, i)); });
    return;
  }
  const set = new Set((axes && axes.length ? axes : x.dims.map((_, i) => i)).map((a) => ctx.axis(a, r)));
  const red = REDUCERS[op]!;
  const { out, index } = layout(x.dims, set, keep);
  const count = x.size / Math.max(1, sizeOf(out));
  ctx.js([{ dtype: x.dtype, dims: out }], ([a], [o]) => {
    const acc = new Float64Array(o!.length).fill(red.init);
    for (let i = 0; i < x.size; i++) { const j = index(i); acc[j] = red.step(acc[j]!, rd(a!, i)); }
    for (let j = 0; j < o!.length; j++) wr(o!, j, red.done(acc[j]!, count));
  });
}

function planArg(ctx: NodeCtx): void {
  const x = ctx.in(0);
  const r = x.dims.length;
  const axis = ctx.axis(ctx.int('axis', 0), r);
  const keep = ctx.int('keepdims', 1) === 1;
  const last = ctx.int('select_last_index', 0) === 1;
  const max = ctx.node.opType === 'ArgMax';
  const D = x.dims[axis]!;
  const inner = sizeOf(x.dims.slice(axis + 1));
  const outer = sizeOf(x.dims.slice(0, axis));
  const out = keep ? x.dims.map((d, i) => (i === axis ? 1 : d)) : x.dims.filter((_, i) => i !== axis);
  ctx.js([{ dtype: 'int64', dims: out }], ([a], [o]) => {
    for (let p = 0; p < outer; p++) for (let q = 0; q < inner; q++) {
      let best = 0, bv = rd(a!, p * D * inner + q);
      for (let k = 1; k < D; k++) {
        const v = rd(a!, (p * D + k) * inner + q);
        if (max ? v > bv || (last && v === bv) : v < bv || (last && v === bv)) { best = k; bv = v; }
      }
      wr(o!, p * inner + q, best);
    }
  });
}

/** Registers the reductions and ArgMax/ArgMin. */
export function registerReduce(t: Map<string, OpDef>): void {
  define(t, Object.keys(REDUCERS), { plan: planReduce });
  define(t, ['ArgMax', 'ArgMin'], { plan: planArg });
}
