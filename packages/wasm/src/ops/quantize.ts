/** QuantizeLinear, DequantizeLinear (per tensor and per axis) and DynamicQuantizeLinear. */
import { sizeOf } from '@qtk/core';
import type { NodeCtx } from '../engine/context.js';
import { type DT, Val } from '../engine/value.js';
import { define, type OpDef } from './registry.js';

/** Inclusive range of an 8-bit type. */
export function qRange(dt: DT): [number, number] {
  return dt === 'int8' ? [-128, 127] : [0, 255];
}

/** Layout outer x C x inner of per-axis quantization; C = 1 for per tensor. */
function axisLayout(ctx: NodeCtx, dims: readonly number[], scale: Val): { outer: number; C: number; inner: number; perAxis: boolean } {
  const n = sizeOf(dims);
  if (scale.size === 1 && scale.dims.length <= 1) return { outer: 1, C: 1, inner: n, perAxis: false };
  if (scale.dims.length !== 1) throw ctx.unsupported(`blocked quantization (scale dims [${scale.dims.join(',')}])`);
  const a0 = ctx.int('axis', 1);
  const axis = ctx.axis(a0, dims.length);
  if (dims[axis] !== scale.size) throw ctx.shapeError(`scale of ${scale.size} entries for axis ${a0} of [${dims.join(',')}]`);
  return { outer: sizeOf(dims.slice(0, axis)), C: scale.size, inner: sizeOf(dims.slice(axis + 1)), perAxis: true };
}

/** QuantizeLinear with a runtime scalar scale/zero point (as DynamicQuantizeLinear produces). */
function planQuantizeRuntime(ctx: NodeCtx): void {
  const x = ctx.in(0), s = ctx.in(1), z = ctx.opt(2);
  if (s.size !== 1 || (z && z.size !== 1)) throw ctx.unsupported('per-axis quantization with a non-constant scale');
  const dt: DT = z ? z.dtype : 'uint8';
  if (dt !== 'uint8' && dt !== 'int8') throw ctx.unsupported(`output type ${dt} (uint8 and int8 only)`);
  const [lo, hi] = qRange(dt);
  const y = ctx.out(0, dt, x.dims);
  const params = ctx.scratch(8);
  ctx.step(() => {
    const mem = ctx.k.memory.buffer;
    new Float32Array(mem, params.off, 1)[0] = Number(ctx.view(s)[0]);
    new Int32Array(mem, params.off + 4, 1)[0] = z ? Number(ctx.view(z)[0]) : 0;
    ctx.k.quantizeF32(x.isConst ? ctx.constPtr(x) : x.off, y.off, 1, 1, x.size, params.off, params.off + 4, 0, lo, hi);
  }, [x, s, z], [y], [params]);
}

function planQuantize(ctx: NodeCtx): void {
  if (!ctx.in(1).isConst && ctx.in(1).size === 1 && ctx.in(0).dtype === 'float32') {
    planQuantizeRuntime(ctx);
    return;
  }
  const x = ctx.in(0), s = ctx.constIn(1, 'y_scale'), z = ctx.opt(2);
  if (z) ctx.needConst(z, 'y_zero_point');
  if (x.dtype !== 'float32') throw ctx.unsupported(`input type ${x.dtype} (float32 only)`);
  const dt: DT = z ? z.dtype : 'uint8';
  if (dt !== 'uint8' && dt !== 'int8') throw ctx.unsupported(`output type ${dt} (uint8 and int8 only)`);
  if (ctx.int('saturate', 1) !== 1) throw ctx.unsupported('saturate=0');
  const L = axisLayout(ctx, x.dims, s);
  const scales = Float32Array.from(s.nums());
  const zps = Int32Array.from(z ? z.nums() : new Array(scales.length).fill(0));
  const [lo, hi] = qRange(dt);
  if (x.isConst) {
    const out = dt === 'int8' ? new Int8Array(x.size) : new Uint8Array(x.size);
    const xd = x.data as Float32Array;
    let i = 0;
    for (let o = 0; o < L.outer; o++) for (let c = 0; c < L.C; c++) for (let j = 0; j < L.inner; j++, i++) {
      const q = roundHalfEven(Math.fround(xd[i]! / scales[c]!)) + zps[c]!;
      out[i] = Math.min(Math.max(q, lo), hi);
    }
    ctx.constOut(0, dt, x.dims, out);
    return;
  }
  const ps = ctx.staticF32('scale', () => scales);
  const pz = ctx.cached('zp', () => ctx.state.heap.put(zps));
  const y = ctx.out(0, dt, x.dims);
  ctx.step(() => ctx.k.quantizeF32(x.off, y.off, L.outer, L.C, L.inner, ps, pz, L.perAxis ? 1 : 0, lo, hi), [x], [y]);
}

/** Round half to even, as QuantizeLinear does. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function planDequantize(ctx: NodeCtx): void {
  const x = ctx.in(0), s = ctx.constIn(1, 'x_scale'), z = ctx.opt(2);
  if (z) ctx.needConst(z, 'x_zero_point');
  if (x.dtype !== 'uint8' && x.dtype !== 'int8' && x.dtype !== 'int32') throw ctx.unsupported(`input type ${x.dtype}`);
  const L = axisLayout(ctx, x.dims, s);
  const scales = Float32Array.from(s.nums());
  const zps = Int32Array.from(z ? z.nums() : new Array(scales.length).fill(0));
  if (x.isConst) {
    const out = new Float32Array(x.size);
    let i = 0;
    for (let o = 0; o < L.outer; o++) for (let c = 0; c < L.C; c++) for (let j = 0; j < L.inner; j++, i++) out[i] = (x.num(i) - zps[c]!) * scales[c]!;
    ctx.constOut(0, 'float32', x.dims, out);
    return;
  }
  const ps = ctx.staticF32('scale', () => scales);
  const pz = ctx.cached('zp', () => ctx.state.heap.put(zps));
  const bits = x.dtype === 'int32' ? 32 : 8, signed = x.dtype === 'uint8' ? 0 : 1;
  const y = ctx.out(0, 'float32', x.dims);
  ctx.step(() => ctx.k.dequantize(x.off, bits, signed, y.off, L.outer, L.C, L.inner, ps, pz, L.perAxis ? 1 : 0), [x], [y]);
}

function planDynamicQuantize(ctx: NodeCtx): void {
  const x = ctx.in(0);
  if (x.dtype !== 'float32') throw ctx.unsupported(`input type ${x.dtype} (float32 only)`);
  const y = ctx.out(0, 'uint8', x.dims);
  const ys = ctx.out(1, 'float32', []);
  const yz = ctx.out(2, 'uint8', []);
  const mm = ctx.scratch(8);
  const sz = ctx.scratch(8);
  const k = ctx.k;
  ctx.step(() => {
    k.minMaxF32(x.off, x.size, mm.off);
    const v = ctx.state.heap.f32(mm.off, 2);
    const lo = Math.min(0, v[0]!), hi = Math.max(0, v[1]!);
    const scale = Math.fround((hi - lo) / 255);
    const zp = scale === 0 ? 0 : Math.min(255, Math.max(0, roundHalfEven(-lo / scale)));
    const mem = k.memory.buffer;
    new Float32Array(mem, ys.off, 1)[0] = scale;
    new Uint8Array(mem, yz.off, 1)[0] = zp;
    new Float32Array(mem, sz.off, 1)[0] = scale === 0 ? 1 : scale;
    new Int32Array(mem, sz.off + 4, 1)[0] = zp;
    k.quantizeF32(x.off, y.off, 1, 1, x.size, sz.off, sz.off + 4, 0, 0, 255);
  }, [x], [y, ys, yz], [mm, sz]);
}

/** Registers the quantization ops. */
export function registerQuantize(t: Map<string, OpDef>): void {
  define(t, ['QuantizeLinear'], { plan: planQuantize });
  define(t, ['DequantizeLinear'], { plan: planDequantize });
  define(t, ['DynamicQuantizeLinear'], { plan: planDynamicQuantize });
}
