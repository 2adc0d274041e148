/**
 * Less common ops in JS (folded when inputs are constant): variadic Sum/Mean/Max/Min,
 * PRelu, CastLike, Tile, DepthToSpace/SpaceToDepth, GatherElements, integer Clip.
 */
import type { NodeCtx } from '../engine/context.js';
import { broadcastDims, broadcastStrides, rowMajorStrides } from './broadcast.js';
import { bcastIndex, castTo, rd, wr } from './elementAccess.js';
import { define, type OpDef } from './registry.js';

function planVariadic(ctx: NodeCtx): void {
  const op = ctx.node.opType;
  const ins = ctx.node.inputs.map((_, i) => ctx.in(i));
  const dt = ins[0]!.dtype;
  if (ins.some((v) => v.dtype !== dt)) throw ctx.unsupported('mixed input types');
  let dims: number[] = [...ins[0]!.dims];
  for (const v of ins.slice(1)) dims = broadcastDims(dims, v.dims, ctx.node.name);
  const strides = ins.map((v) => broadcastStrides(v.dims, dims));
  const f = op === 'Max' ? Math.max : op === 'Min' ? Math.min : (a: number, b: number) => a + b;
  const mean = op === 'Mean';
  const isFloat = dt === 'float32';
  ctx.js([{ dtype: dt, dims }], (arrs, [o]) => {
    for (let i = 0; i < o!.length; i++) {
      let v = rd(arrs[0]!, bcastIndex(i, dims, strides[0]!));
      for (let k = 1; k < arrs.length; k++) v = f(v, rd(arrs[k]!, bcastIndex(i, dims, strides[k]!)));
      wr(o!, i, mean ? (isFloat ? v / arrs.length : Math.trunc(v / arrs.length)) : v);
    }
  });
}

function planPRelu(ctx: NodeCtx): void {
  const x = ctx.in(0), s = ctx.in(1);
  const dims = broadcastDims(x.dims, s.dims, ctx.node.name);
  const sx = broadcastStrides(x.dims, dims), ss = broadcastStrides(s.dims, dims);
  ctx.js([{ dtype: x.dtype, dims }], ([a, b], [o]) => {
    for (let i = 0; i < o!.length; i++) { const v = rd(a!, bcastIndex(i, dims, sx)); wr(o!, i, v < 0 ? v * rd(b!, bcastIndex(i, dims, ss)) : v); }
  });
}

function planCastLike(ctx: NodeCtx): void {
  const x = ctx.in(0), like = ctx.in(1);
  castTo(ctx, x, like.dtype);
}

function planTile(ctx: NodeCtx): void {
  const x = ctx.in(0);
  const reps = ctx.constIn(1, 'repeats').nums();
  if (reps.length !== x.dims.length) throw ctx.shapeError(`repeats of length ${reps.length} for rank ${x.dims.length}`);
  const dims = x.dims.map((d, i) => d * reps[i]!);
  const r = dims.length;
  ctx.js([{ dtype: x.dtype, dims }], ([a], [o]) => {
    for (let i = 0; i < o!.length; i++) {
      let rem = i, src = 0, s = 1;
      for (let d = r - 1; d >= 0; d--) {
        const c = rem % dims[d]!;
        rem = Math.floor(rem / dims[d]!);
        src += (c % x.dims[d]!) * s;
        s *= x.dims[d]!;
      }
      (o as Float32Array)[i] = (a as Float32Array)[src]!;
    }
  });
}

function planDepthSpace(ctx: NodeCtx): void {
  const x = ctx.in(0);
  if (x.dims.length !== 4) throw ctx.shapeError(`input of rank ${x.dims.length} (4 expected)`);
  const [N, C, H, W] = x.dims as [number, number, number, number];
  const b = ctx.int('blocksize', 0);
  if (b <= 0) throw ctx.unsupported('missing blocksize');
  const toSpace = ctx.node.opType === 'DepthToSpace';
  const crd = ctx.str('mode', 'DCR') === 'CRD';
  if (toSpace && C % (b * b) !== 0) throw ctx.shapeError(`channels ${C} not divisible by blocksize^2`);
  const dims = toSpace ? [N, C / (b * b), H * b, W * b] : [N, C * b * b, H / b, W / b];
  ctx.js([{ dtype: x.dtype, dims }], ([a], [o]) => {
    const [, oc, oh, ow] = dims as [number, number, number, number];
    let i = 0;
    for (let n = 0; n < N; n++) for (let c = 0; c < oc; c++) for (let y = 0; y < oh; y++) for (let z = 0; z < ow; z++, i++) {
      let src: number;
      if (toSpace) {
        const by = y % b, bx = z % b, iy = Math.floor(y / b), ix = Math.floor(z / b);
        const ic = crd ? c * b * b + by * b + bx : (by * b + bx) * oc + c;
        src = ((n * C + ic) * H + iy) * W + ix;
      } else {
        const blk = Math.floor(c / C), ic = c % C, by = Math.floor(blk / b), bx = blk % b;
        src = ((n * C + ic) * H + y * b + by) * W + z * b + bx;
      }
      (o as Float32Array)[i] = (a as Float32Array)[src]!;
    }
  });
}

function planGatherElements(ctx: NodeCtx): void {
  const x = ctx.in(0), idx = ctx.in(1);
  const r = x.dims.length;
  const axis = ctx.axis(ctx.int('axis', 0), r);
  const dims = [...idx.dims];
  const xs = rowMajorStrides(x.dims);
  ctx.js([{ dtype: x.dtype, dims }], ([a, ind], [o]) => {
    for (let i = 0; i < o!.length; i++) {
      let rem = i, src = 0;
      for (let d = r - 1; d >= 0; d--) {
        const c = rem % dims[d]!;
        rem = Math.floor(rem / dims[d]!);
        let k = d === axis ? rd(ind!, i) : c;
        if (k < 0) k += x.dims[d]!;
        src += k * xs[d]!;
      }
      (o as Float32Array)[i] = (a as Float32Array)[src]!;
    }
  });
}

/** Registers the ops of this file. */
export function registerMisc(t: Map<string, OpDef>): void {
  define(t, ['Mean'], { plan: planVariadic });
  define(t, ['PRelu'], { plan: planPRelu });
  define(t, ['CastLike'], { plan: planCastLike });
  define(t, ['Tile'], { plan: planTile });
  define(t, ['DepthToSpace', 'SpaceToDepth'], { plan: planDepthSpace });
  define(t, ['GatherElements'], { plan: planGatherElements });
}

/** Variadic forms of Sum/Max/Min (more or fewer than two inputs) go to this planner. */
export const planVariadicOp = planVariadic;
