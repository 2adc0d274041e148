/** Pooling: MaxPool (float32 and 8-bit), AveragePool, GlobalAveragePool, GlobalMaxPool. */
import { sizeOf } from '@qtk/core';
import type { NodeCtx } from '../engine/context.js';
import { poolWindow, windowOutDims, windowParamsPtr } from './convGeometry.js';
import { define, type OpDef } from './registry.js';
import { extraPlanners } from './extra.js';

function planMaxPool(ctx: NodeCtx): void {
  const x = ctx.in(0);
  if ((ctx.node.outputs.length > 1 && ctx.node.outputs[1]) || ctx.int('storage_order', 0) !== 0) {
    extraPlanners.maxPoolWithIndices(ctx);
    return;
  }
  const { g, C, planes } = poolWindow(ctx, x.dims);
  const k = ctx.k;
  const win = windowParamsPtr(ctx, g);
  if (x.dtype === 'float32') {
    const y = ctx.out(0, 'float32', windowOutDims(x.dims, C, g));
    ctx.step(() => k.maxPoolF32(x.off, planes, win, y.off), [x], [y]);
  } else if (x.dtype === 'uint8' || x.dtype === 'int8') {
    const y = ctx.out(0, x.dtype, windowOutDims(x.dims, C, g));
    const signed = x.dtype === 'int8' ? 1 : 0;
    ctx.step(() => k.maxPool8(x.off, signed, planes, win, y.off), [x], [y]);
  } else throw ctx.unsupported(`input type ${x.dtype}`);
}

function planAvgPool(ctx: NodeCtx): void {
  const x = ctx.in(0);
  if (x.dtype !== 'float32') throw ctx.unsupported(`input type ${x.dtype} (float32 only)`);
  if ((ctx.ints('dilations') ?? []).some((d) => d !== 1)) throw ctx.unsupported('dilations other than 1');
  const { g, C, planes } = poolWindow(ctx, x.dims);
  const countPad = ctx.int('count_include_pad', 0);
  const y = ctx.out(0, 'float32', windowOutDims(x.dims, C, g));
  const win = windowParamsPtr(ctx, g);
  ctx.step(() => ctx.k.avgPoolF32(x.off, planes, win, countPad, y.off), [x], [y]);
}

function planGlobal(ctx: NodeCtx): void {
  const x = ctx.in(0);
  if (x.dtype !== 'float32') throw ctx.unsupported(`input type ${x.dtype} (float32 only)`);
  if (x.dims.length < 3) throw ctx.shapeError(`input of rank ${x.dims.length}`);
  const planes = x.dims[0]! * x.dims[1]!;
  const size = sizeOf(x.dims.slice(2));
  const mode = ctx.node.opType === 'GlobalMaxPool' ? 1 : 0;
  const y = ctx.out(0, 'float32', [x.dims[0]!, x.dims[1]!, ...x.dims.slice(2).map(() => 1)]);
  ctx.step(() => ctx.k.globalPoolF32(x.off, planes, size, mode, y.off), [x], [y]);
}

/** Registers the pooling ops. */
export function registerPool(t: Map<string, OpDef>): void {
  define(t, ['MaxPool'], { plan: planMaxPool });
  define(t, ['AveragePool'], { plan: planAvgPool });
  define(t, ['GlobalAveragePool', 'GlobalMaxPool'], { plan: planGlobal });
}
