/**
 * com.microsoft QLinearAdd and the fused QDQ Add: 8-bit inputs and output, computed as
 * onnxruntime's x86 kernel does (float32 ratios, a fixed part holding the zero points, fused
 * multiply-adds on the raw codes; exact here in double before one rounding to float32).
 */
import { sizeOf } from '@qtk/core';
import type { NodeCtx } from '../engine/context.js';
import { fusedClampCodes } from './activation.js';
import { broadcastDims, broadcastStrides, collapse } from './broadcast.js';
import { FUSED_DOMAIN } from './qlinear.js';
import { roundHalfEven } from './quantize.js';
import { constScalar } from './scalarInput.js';
import { define, type OpDef } from './registry.js';

function planQAdd(ctx: NodeCtx): void {
  const a = ctx.in(0), b = ctx.in(3);
  const num = (i: number, what: string, fallback: number): number => constScalar(ctx, ctx.opt(i), what, fallback);
  const sa = num(1, 'A scale', 1), za = num(2, 'A zero point', 0), sb = num(4, 'B scale', 1), zb = num(5, 'B zero point', 0);
  const sy = num(6, 'C scale', 1), zy = num(7, 'C zero point', 0);
  if (a.dtype !== b.dtype || (a.dtype !== 'uint8' && a.dtype !== 'int8')) throw ctx.unsupported(`types ${a.dtype} and ${b.dtype}`);
  const dims = broadcastDims(a.dims, b.dims, ctx.node.name);
  const [lo, hi] = fusedClampCodes(ctx, sy, zy, a.dtype);
  const n = sizeOf(dims);
  const signed = a.dtype === 'int8' ? 1 : 0;
  const sameA = a.size === n;
  // b tiles the output when its dims are a suffix of the output's
  const suffix = b.dims.length <= dims.length && b.dims.every((d, i) => d === dims[dims.length - b.dims.length + i]);
  if (sameA && suffix && b.size > 0) {
    const y = ctx.out(0, a.dtype, dims);
    const pa = a.isConst ? ctx.constPtr(a) : -1, pb = b.isConst ? ctx.constPtr(b) : -1;
    const repeat = n / b.size;
    ctx.step(() => ctx.k.qlinearAdd(pa >= 0 ? pa : a.off, sa, za, pb >= 0 ? pb : b.off, sb, zb, repeat, signed, y.off, sy, zy, n, lo, hi), [a, b], [y]);
    return;
  }
  const c = collapse(dims, broadcastStrides(a.dims, dims), broadcastStrides(b.dims, dims));
  const [D0, D1, D2, D3, D4, D5] = c.dims as [number, number, number, number, number, number];
  const [A0, A1, A2, A3, A4, A5] = c.sa as [number, number, number, number, number, number];
  const [B0, B1, B2, B3, B4, B5] = c.sb as [number, number, number, number, number, number];
  // onnxruntime runs the innermost span with a scalar B when B repeats along it, with A and B
  // swapped when A does (see assembly/quantize.ts qlinearAdd)
  const f = Math.fround;
  const swap = A5 === 0 && B5 !== 0;
  const ra = f(f(swap ? sb : sa) / f(sy)), rb = f(f(swap ? sa : sb) / f(sy));
  // zy - (ra*za + rb*zb), the inner sum as one fused multiply-add (as onnxruntime's build has it)
  const fixed = f(zy - f(ra * (swap ? zb : za) + f(rb * (swap ? za : zb))));
  const scalarB = swap || B5 === 0;
  const out8 = (v: number) => Math.min(hi, Math.max(lo, roundHalfEven(v)));
  ctx.js([{ dtype: a.dtype, dims }], (ins, [o]) => {
    const x = ins[swap ? 3 : 0]!, z = ins[swap ? 0 : 3]!, out = o!;
    const [SA0, SA1, SA2, SA3, SA4, SA5] = swap ? [B0, B1, B2, B3, B4, B5] : [A0, A1, A2, A3, A4, A5];
    const [SB0, SB1, SB2, SB3, SB4, SB5] = swap ? [A0, A1, A2, A3, A4, A5] : [B0, B1, B2, B3, B4, B5];
    let i = 0;
    for (let i0 = 0; i0 < D0; i0++) for (let i1 = 0; i1 < D1; i1++) for (let i2 = 0; i2 < D2; i2++) for (let i3 = 0; i3 < D3; i3++) for (let i4 = 0; i4 < D4; i4++) {
      let pa = i0 * SA0 + i1 * SA1 + i2 * SA2 + i3 * SA3 + i4 * SA4;
      const pb0 = i0 * SB0 + i1 * SB1 + i2 * SB2 + i3 * SB3 + i4 * SB4;
      if (scalarB) {
        const fb = f(fixed + f((z[pb0] as number) * rb));
        for (let i5 = 0; i5 < D5; i5++, i++, pa += SA5) out[i] = out8(f((x[pa] as number) * ra + fb));
        continue;
      }
      let pb = pb0;
      for (let i5 = 0; i5 < D5; i5++, i++, pa += SA5, pb += SB5) {
        out[i] = out8(f((x[pa] as number) * ra + f((z[pb] as number) * rb + fixed)));
      }
    }
  });
}

/** Registers QLinearAdd and the fused QDQ Add. */
export function registerQAdd(t: Map<string, OpDef>): void {
  define(t, ['com.microsoft:QLinearAdd', `${FUSED_DOMAIN}:QAdd`], { plan: planQAdd });
}
