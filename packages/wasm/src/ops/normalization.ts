/** Softmax, LogSoftmax, LayerNormalization and BatchNormalization (inference). */
import { sizeOf } from '@qtk/core';
import type { NodeCtx } from '../engine/context.js';
import { define, type OpDef } from './registry.js';
import { extraPlanners } from './extra.js';

function axisOf(ctx: NodeCtx, rank: number, fallback: number): number {
  return ctx.axis(ctx.int('axis', fallback), rank);
}

function planSoftmax(ctx: NodeCtx): void {
  const x = ctx.in(0);
  if (x.dtype !== 'float32') throw ctx.unsupported(`input type ${x.dtype} (float32 only)`);
  const rank = x.dims.length;
  const axis = axisOf(ctx, rank, ctx.opset >= 13 ? -1 : 1);
  if (ctx.opset >= 13 && axis !== rank - 1) {
    // softmax along an inner axis: strided, in JS
    const D = x.dims[axis]!, inner = sizeOf(x.dims.slice(axis + 1)), outer = x.size / (D * inner);
    const log = ctx.node.opType === 'LogSoftmax';
    ctx.js([{ dtype: 'float32', dims: x.dims }], ([a], [o]) => {
      for (let p = 0; p < outer; p++) for (let q = 0; q < inner; q++) {
        const base = p * D * inner + q;
        let m = -Infinity;
        for (let k = 0; k < D; k++) m = Math.max(m, a![base + k * inner] as number);
        let sum = 0;
        for (let k = 0; k < D; k++) sum += Math.exp((a![base + k * inner] as number) - m);
        for (let k = 0; k < D; k++) {
          const v = (a![base + k * inner] as number) - m;
          o![base + k * inner] = log ? v - Math.log(sum) : Math.exp(v) / sum;
        }
      }
    });
    return;
  }
  const cols = sizeOf(x.dims.slice(axis));
  const rows = x.size / Math.max(cols, 1);
  const log = ctx.node.opType === 'LogSoftmax' ? 1 : 0;
  const y = ctx.out(0, 'float32', x.dims);
  ctx.step(() => ctx.k.softmaxF32(x.off, y.off, rows, cols, log), [x], [y]);
}

function planLayerNorm(ctx: NodeCtx): void {
  const x = ctx.in(0), scale = ctx.constIn(1, 'Scale'), bias = ctx.opt(2);
  if (x.dtype !== 'float32') throw ctx.unsupported(`input type ${x.dtype} (float32 only)`);
  const axis = axisOf(ctx, x.dims.length, -1);
  const cols = sizeOf(x.dims.slice(axis));
  if (scale.size !== cols || (bias && bias.size !== cols)) throw ctx.unsupported('Scale/B broadcast over the normalized dims');
  if (bias) ctx.needConst(bias, 'B');
  const rows = x.size / Math.max(cols, 1);
  const eps = ctx.float('epsilon', 1e-5);
  const ps = ctx.constPtr(scale), pb = bias ? ctx.constPtr(bias) : 0;
  const y = ctx.out(0, 'float32', x.dims);
  // Mean and InvStdDev keep the normalized axes as size-1 dims
  const statDims = x.dims.map((d, i) => (i < axis ? d : 1));
  const mean = ctx.node.outputs[1] ? ctx.out(1, 'float32', statDims) : undefined;
  const inv = ctx.node.outputs[2] ? ctx.out(2, 'float32', statDims) : undefined;
  ctx.step(() => ctx.k.layerNormF32(x.off, y.off, rows, cols, ps, pb, eps, mean ? mean.off : 0, inv ? inv.off : 0), [x], [y, ...(mean ? [mean] : []), ...(inv ? [inv] : [])]);
}

function planBatchNorm(ctx: NodeCtx): void {
  const x = ctx.in(0);
  if (ctx.int('training_mode', 0) !== 0 || ctx.node.outputs.slice(1).some((o) => o)) {
    extraPlanners.batchNormTraining(ctx);
    return;
  }
  if (x.dtype !== 'float32') throw ctx.unsupported(`input type ${x.dtype} (float32 only)`);
  const [s, b, m, v] = [1, 2, 3, 4].map((i) => ctx.constIn(i).nums());
  const eps = ctx.float('epsilon', 1e-5);
  const C = x.dims[1] ?? 1;
  const scale = new Float32Array(C), shift = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    scale[c] = s![c]! / Math.sqrt(v![c]! + eps);
    shift[c] = b![c]! - m![c]! * scale[c]!;
  }
  const ps = ctx.staticF32('scale', () => scale), pb = ctx.staticF32('shift', () => shift);
  const inner = sizeOf(x.dims.slice(2));
  const outer = x.dims[0] ?? 1;
  const y = ctx.out(0, 'float32', x.dims);
  ctx.step(() => ctx.k.channelAffine(x.off, y.off, outer, C, inner, ps, pb), [x], [y]);
}

/** Registers the normalization ops. */
export function registerNormalization(t: Map<string, OpDef>): void {
  define(t, ['Softmax', 'LogSoftmax'], { plan: planSoftmax });
  define(t, ['LayerNormalization'], { plan: planLayerNorm });
  define(t, ['BatchNormalization'], { plan: planBatchNorm });
}
