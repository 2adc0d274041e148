/**
 * The remaining com.microsoft QOperator ops that qtk's format 'qoperator' writes, in JS
 * (folded when inputs are constant): QLinearMul, QLinearSigmoid, QLinearLeakyRelu,
 * QLinearSoftmax, QLinearAveragePool, QLinearGlobalAveragePool, QLinearConcat, and
 * QLinearMatMul of two runtime inputs (attention products; a constant B stays on the
 * packed integer kernels). Each follows onnxruntime's CPU arithmetic (float32 intermediate
 * values, round half to even), so an 8-bit result matches onnxruntime's or differs by one
 * step at a rounding tie.
 */
import { sizeOf } from '@qtk/core';
import type { NodeCtx } from '../engine/context.js';
import type { Arr, DT, Val } from '../engine/value.js';
import { broadcastDims, broadcastStrides, collapse } from './broadcast.js';
import { poolWindow, windowOutDims } from './convGeometry.js';
import { matmulDims } from './gemm.js';
import { rd } from './elementAccess.js';
import { qRange, roundHalfEven } from './quantize.js';
import { constScalar } from './scalarInput.js';
import { define, type OpDef } from './registry.js';

const f = Math.fround;

/** Scalar constant input `i` (scale or zero point) as a number; `fallback` when omitted. */
function scalarIn(ctx: NodeCtx, i: number, what: string, fallback: number): number {
  return constScalar(ctx, ctx.opt(i), what, fallback);
}

/** Input `i`, which must be 8-bit. */
function q8(ctx: NodeCtx, i: number, what: string): Val {
  const v = ctx.in(i);
  if (v.dtype !== 'uint8' && v.dtype !== 'int8') throw ctx.unsupported(`${what} of type ${v.dtype} (uint8/int8 only)`);
  return v;
}

/** Quantizes a float32 value to 8 bits as onnxruntime's MlasQuantizeLinear does. */
function quant(v: number, scale: number, zp: number, lo: number, hi: number): number {
  const t = f(v / scale);
  let r = Math.round(t);
  // Math.round takes ties up; half to even takes odd ties down
  if (r - t === 0.5 && (r & 1) !== 0) r -= 1;
  r += zp;
  return r < lo ? lo : r > hi ? hi : r;
}

/**
 * A 256-entry table over the input's 8-bit codes (index = code & 255): dequantize, apply
 * `fn` in float32, quantize. onnxruntime evaluates its 8-bit unary ops through such a table.
 */
function lookupTable(dt: DT, sx: number, zx: number, sy: number, zy: number, fn: (v: number) => number): Int32Array {
  const [lo, hi] = qRange(dt);
  const t = new Int32Array(256);
  for (let c = lo; c <= hi; c++) t[c & 255] = quant(f(fn(f(f(c - zx) * sx))), sy, zy, lo, hi);
  return t;
}

/** Applies a lookup table to every element of an 8-bit array. */
function applyTable(a: Arr, o: Arr, t: Int32Array): void {
  for (let i = 0; i < o.length; i++) o[i] = t[(a[i] as number) & 255]!;
}

function planTableOp(ctx: NodeCtx, fn: (v: number) => number): void {
  const x = q8(ctx, 0, 'X');
  const sx = scalarIn(ctx, 1, 'X_scale', 1), zx = scalarIn(ctx, 2, 'X_zero_point', 0);
  const sy = scalarIn(ctx, 3, 'Y_scale', 1), zy = scalarIn(ctx, 4, 'Y_zero_point', 0);
  const table = lookupTable(x.dtype, sx, zx, sy, zy, fn);
  ctx.js([{ dtype: x.dtype, dims: x.dims }], ([a], [o]) => applyTable(a!, o!, table));
}

function planQSigmoid(ctx: NodeCtx): void {
  planTableOp(ctx, (v) => 1 / (1 + Math.exp(-v)));
}

function planQLeakyRelu(ctx: NodeCtx): void {
  const alpha = f(ctx.float('alpha', 0.01));
  planTableOp(ctx, (v) => (v >= 0 ? v : f(v * alpha)));
}

/**
 * onnxruntime's QLinearMul (its x86 kernel): the integer product (a - a_zp) * (b - b_zp)
 * times the float32 ratio a_scale * b_scale / c_scale, plus c_zero_point in float32, rounded
 * half to even and saturated.
 */
function planQMul(ctx: NodeCtx): void {
  const a = q8(ctx, 0, 'A'), b = q8(ctx, 3, 'B');
  if (a.dtype !== b.dtype) throw ctx.unsupported(`mixed input types ${a.dtype} and ${b.dtype}`);
  const sa = f(scalarIn(ctx, 1, 'A_scale', 1)), za = scalarIn(ctx, 2, 'A_zero_point', 0);
  const sb = f(scalarIn(ctx, 4, 'B_scale', 1)), zb = scalarIn(ctx, 5, 'B_zero_point', 0);
  const sc = f(scalarIn(ctx, 6, 'C_scale', 1)), zc = scalarIn(ctx, 7, 'C_zero_point', 0);
  const dims = broadcastDims(a.dims, b.dims, ctx.node.name);
  const c = collapse(dims, broadcastStrides(a.dims, dims), broadcastStrides(b.dims, dims));
  const [lo, hi] = qRange(a.dtype);
  const ratio = f(f(sa * sb) / sc);
  // (code - zero point) of every code (index = code & 255)
  const da = new Int32Array(256), db = new Int32Array(256);
  for (let k = 0; k < 256; k++) {
    const code = a.dtype === 'int8' ? (k << 24) >> 24 : k;
    da[k] = code - za;
    db[k] = code - zb;
  }
  ctx.js([{ dtype: a.dtype, dims }], (ins, [o]) => {
    const x = ins[0]!, y = ins[3]!, out = o!;
    const [D0, D1, D2, D3, D4, D5] = c.dims as [number, number, number, number, number, number];
    const [A0, A1, A2, A3, A4, A5] = c.sa as [number, number, number, number, number, number];
    const [B0, B1, B2, B3, B4, B5] = c.sb as [number, number, number, number, number, number];
    let i = 0;
    for (let i0 = 0; i0 < D0; i0++) for (let i1 = 0; i1 < D1; i1++) for (let i2 = 0; i2 < D2; i2++) for (let i3 = 0; i3 < D3; i3++) for (let i4 = 0; i4 < D4; i4++) {
      let pa = i0 * A0 + i1 * A1 + i2 * A2 + i3 * A3 + i4 * A4, pb = i0 * B0 + i1 * B1 + i2 * B2 + i3 * B3 + i4 * B4;
      for (let i5 = 0; i5 < D5; i5++, i++, pa += A5, pb += B5) {
        const v = roundHalfEven(f(f(da[(x[pa] as number) & 255]! * db[(y[pb] as number) & 255]! * ratio) + zc));
        out[i] = v < lo ? lo : v > hi ? hi : v;
      }
    }
  });
}

/**
 * onnxruntime's QLinearSoftmax (MLAS's portable kernel, which its x64 build runs): exp of
 * (code - max code) * scale from a float32 table (its shift from a float32 logarithm), a
 * float32 sum per row in order, y = round(e * floor(1 / y_scale) / sum) + y_zero_point, values
 * over 255 set to 255 and the rest narrowed to the output type. Attribute `opset` selects the
 * axis semantics: before 13 the input is flattened to 2-D at `axis`.
 */
function planQSoftmax(ctx: NodeCtx): void {
  const x = q8(ctx, 0, 'X');
  const sx = scalarIn(ctx, 1, 'X_scale', 1), zx = scalarIn(ctx, 2, 'x_zero_point', 0);
  const sy = scalarIn(ctx, 3, 'y_scale', 1), zy = scalarIn(ctx, 4, 'y_zero_point', 0);
  void zx; // the zero point cancels in (code - max code)
  const r = x.dims.length;
  const opset = ctx.int('opset', 13);
  const axis = ctx.axis(ctx.int('axis', opset < 13 ? 1 : -1), r);
  // rows of D elements with stride `inner` between them
  const D = opset < 13 ? sizeOf(x.dims.slice(axis)) : x.dims[axis]!;
  const inner = opset < 13 ? 1 : sizeOf(x.dims.slice(axis + 1));
  const outer = sizeOf(x.dims.slice(0, axis));
  // exp((code - 255 + shift) * scale): the shift keeps a row's sum finite in float32 and cancels;
  // onnxruntime takes its logarithm in float32
  const shift = Math.max(0, f(Math.log(f(3.4028234663852886e38 / D))) - 5) / sx;
  const table = new Float32Array(256);
  for (let i = 0; i < 256; i++) table[i] = f(Math.exp((i - 255 + shift) * sx));
  const yMul = Math.floor(f(1 / sy));
  const narrow = x.dtype === 'int8' ? (v: number) => (v << 24) >> 24 : (v: number) => v;
  ctx.js([{ dtype: x.dtype, dims: x.dims }], ([a], [o]) => {
    for (let p = 0; p < outer; p++) for (let q = 0; q < inner; q++) {
      const base = p * D * inner + q;
      let mx = -Infinity;
      for (let j = 0; j < D; j++) mx = Math.max(mx, a![base + j * inner] as number);
      const off = 255 - mx;
      let sum = 0;
      for (let j = 0; j < D; j++) sum = f(sum + table[(a![base + j * inner] as number) + off]!);
      for (let j = 0; j < D; j++) {
        const e = table[(a![base + j * inner] as number) + off]!;
        const v = roundHalfEven(f(f(e * yMul) / sum)) + zy;
        o![base + j * inner] = narrow(v > 255 ? 255 : v);
      }
    }
  });
}

function planQAvgPool(ctx: NodeCtx): void {
  const x = q8(ctx, 0, 'X');
  if (ctx.int('channels_last', 0) !== 0) throw ctx.unsupported('channels_last=1');
  const sx = f(scalarIn(ctx, 1, 'x_scale', 1)), zx = scalarIn(ctx, 2, 'x_zero_point', 0);
  const sy = f(scalarIn(ctx, 3, 'y_scale', 1)), zy = scalarIn(ctx, 4, 'y_zero_point', 0);
  if ((ctx.ints('dilations') ?? []).some((d) => d !== 1)) throw ctx.unsupported('dilations other than 1');
  const { g, C, planes } = poolWindow(ctx, x.dims);
  const countPad = ctx.int('count_include_pad', 0) === 1;
  const [lo, hi] = qRange(x.dtype);
  ctx.js([{ dtype: x.dtype, dims: windowOutDims(x.dims, C, g) }], ([a], [o]) => {
    let i = 0;
    for (let p = 0; p < planes; p++) for (let oh = 0; oh < g.OH; oh++) for (let ow = 0; ow < g.OW; ow++, i++) {
      const h0 = oh * g.sh - g.pt, w0 = ow * g.sw - g.pl;
      const h1 = Math.min(h0 + g.kh, g.H + g.pb), w1 = Math.min(w0 + g.kw, g.W + g.pr);
      const hs = Math.max(h0, 0), ws = Math.max(w0, 0), he = Math.min(h1, g.H), we = Math.min(w1, g.W);
      let sum = 0;
      for (let h = hs; h < he; h++) for (let w = ws; w < we; w++) sum = f(sum + f(f((a![(p * g.H + h) * g.W + w] as number) - zx) * sx));
      const count = countPad ? (h1 - h0) * (w1 - w0) : (he - hs) * (we - ws);
      o![i] = Math.min(hi, Math.max(lo, roundHalfEven(f(f(f(sum / count) / sy) + zy))));
    }
  });
}

function planQGlobalAvgPool(ctx: NodeCtx): void {
  const x = q8(ctx, 0, 'X');
  if (ctx.int('channels_last', 0) !== 0) throw ctx.unsupported('channels_last=1');
  if (x.dims.length < 3) throw ctx.shapeError(`input of rank ${x.dims.length}`);
  const sx = f(scalarIn(ctx, 1, 'x_scale', 1)), zx = scalarIn(ctx, 2, 'x_zero_point', 0);
  const sy = f(scalarIn(ctx, 3, 'y_scale', 1)), zy = scalarIn(ctx, 4, 'y_zero_point', 0);
  const planes = x.dims[0]! * x.dims[1]!;
  const size = sizeOf(x.dims.slice(2));
  const scale = f(sx / f(sy * size));
  const [lo, hi] = qRange(x.dtype);
  ctx.js([{ dtype: x.dtype, dims: [x.dims[0]!, x.dims[1]!, ...x.dims.slice(2).map(() => 1)] }], ([a], [o]) => {
    for (let p = 0; p < planes; p++) {
      let acc = 0;
      for (let j = 0; j < size; j++) acc += a![p * size + j] as number;
      const v = f((acc - zx * size) * scale);
      o![p] = Math.min(hi, Math.max(lo, roundHalfEven(v) + zy));
    }
  });
}

function planQConcat(ctx: NodeCtx): void {
  const sy = f(scalarIn(ctx, 0, 'Y_scale', 1)), zy = scalarIn(ctx, 1, 'Y_zero_point', 0);
  const n = ctx.node.inputs.length;
  if (n < 5 || (n - 2) % 3 !== 0) throw ctx.unsupported(`${n} inputs (Y_scale, Y_zero_point and triples of X, scale, zero point expected)`);
  const parts: { i: number; v: Val; table?: Int32Array }[] = [];
  for (let i = 2; i < n; i += 3) {
    const v = q8(ctx, i, `input ${i}`);
    const s = f(scalarIn(ctx, i + 1, `scale of input ${i}`, 1)), z = scalarIn(ctx, i + 2, `zero point of input ${i}`, 0);
    const table = s === sy && z === zy ? undefined : lookupTable(v.dtype, s, z, sy, zy, (t) => t);
    parts.push({ i, v, table });
  }
  const first = parts[0]!.v;
  const r = first.dims.length;
  const axis = ctx.axis(ctx.int('axis', 0), r);
  for (const { v } of parts) {
    if (v.dtype !== first.dtype || v.dims.length !== r || v.dims.some((d, k) => k !== axis && d !== first.dims[k])) {
      throw ctx.shapeError(`inputs [${first.dims.join(',')}] and [${v.dims.join(',')}] do not concatenate on axis ${axis}`);
    }
  }
  const dims = [...first.dims];
  dims[axis] = parts.reduce((s, p) => s + p.v.dims[axis]!, 0);
  const outer = sizeOf(dims.slice(0, axis));
  const blocks = parts.map((p) => sizeOf(p.v.dims.slice(axis)));
  ctx.js([{ dtype: first.dtype, dims }], (ins, [o]) => {
    let at = 0;
    for (let row = 0; row < outer; row++) {
      parts.forEach((p, j) => {
        const src = ins[p.i]!, b = blocks[j]!;
        if (p.table) for (let k = 0; k < b; k++) o![at + k] = p.table[rd(src, row * b + k) & 255]!;
        else (o as Uint8Array).set((src as Uint8Array).subarray(row * b, (row + 1) * b), at);
        at += b;
      });
    }
  });
}

/**
 * QLinearMatMul with a runtime B: int32 dot products of (a - a_zp)(b - b_zp), requantized
 * with the float32 multiplier a_scale * b_scale / y_scale as onnxruntime does.
 */
function planQMatMulRuntime(ctx: NodeCtx): void {
  const a = q8(ctx, 0, 'A'), b = q8(ctx, 3, 'B');
  const d = matmulDims(ctx, a.dims, b.dims);
  const { M, K, N } = d;
  const sa = f(scalarIn(ctx, 1, 'a_scale', 1)), za = scalarIn(ctx, 2, 'a_zero_point', 0);
  const zb = scalarIn(ctx, 5, 'b_zero_point', 0);
  const sbV = ctx.constIn(4, 'b_scale');
  if (sbV.size !== 1 && sbV.size !== N) throw ctx.shapeError(`b_scale has ${sbV.size} entries, expected 1 or ${N}`);
  const sy = f(scalarIn(ctx, 6, 'y_scale', 1)), zy = scalarIn(ctx, 7, 'y_zero_point', 0);
  const ydt: DT = ctx.opt(7)?.dtype ?? 'uint8';
  if (ydt !== 'uint8' && ydt !== 'int8') throw ctx.unsupported(`output type ${ydt}`);
  const mult = Float32Array.from({ length: N }, (_, n) => f(f(sa * f(sbV.num(sbV.size === 1 ? 0 : n))) / sy));
  const [lo, hi] = qRange(ydt);
  // batch offsets of A and B for each output matrix (numpy broadcasting of the batch dims)
  const r = d.batch.length;
  const pad = (x: number[]) => [...new Array<number>(r - x.length).fill(1), ...x];
  const ba = pad(d.batchA), bb = pad(d.batchB);
  const nb = sizeOf(d.batch);
  const offA = new Int32Array(nb), offB = new Int32Array(nb);
  for (let i = 0; i < nb; i++) {
    let rem = i, ia = 0, ib = 0, sA = 1, sB = 1;
    for (let k = r - 1; k >= 0; k--) {
      const c = rem % d.batch[k]!;
      rem = Math.floor(rem / d.batch[k]!);
      ia += (ba[k] === 1 ? 0 : c) * sA; sA *= ba[k]!;
      ib += (bb[k] === 1 ? 0 : c) * sB; sB *= bb[k]!;
    }
    offA[i] = ia * M * K;
    offB[i] = ib * K * N;
  }
  ctx.js([{ dtype: ydt, dims: d.out }], (ins, [o]) => {
    const x = ins[0]!, w = ins[3]!;
    const row = new Int32Array(K);
    for (let t = 0; t < nb; t++) for (let m = 0; m < M; m++) {
      const a0 = offA[t]! + m * K;
      for (let k = 0; k < K; k++) row[k] = (x[a0 + k] as number) - za;
      for (let n = 0; n < N; n++) {
        let acc = 0;
        for (let k = 0, bi = offB[t]! + n; k < K; k++, bi += N) acc += row[k]! * ((w[bi] as number) - zb);
        o![(t * M + m) * N + n] = Math.min(hi, Math.max(lo, roundHalfEven(f(acc * mult[n]!)) + zy));
      }
    }
  });
}

/** Registers the QOperator ops of this file (com.microsoft domain). */
export function registerQLinearExtra(t: Map<string, OpDef>): void {
  define(t, ['com.microsoft:QLinearMul'], { plan: planQMul });
  define(t, ['com.microsoft:QLinearSigmoid'], { plan: planQSigmoid });
  define(t, ['com.microsoft:QLinearLeakyRelu'], { plan: planQLeakyRelu });
  define(t, ['com.microsoft:QLinearSoftmax'], { plan: planQSoftmax });
  define(t, ['com.microsoft:QLinearAveragePool'], { plan: planQAvgPool });
  define(t, ['com.microsoft:QLinearGlobalAveragePool'], { plan: planQGlobalAvgPool });
  define(t, ['com.microsoft:QLinearConcat'], { plan: planQConcat });
  // QLinearMatMul: a runtime B goes to the JS product, a constant B to the packed kernels
  const packed = t.get('QLinearMatMul');
  if (packed) {
    t.set('QLinearMatMul', {
      check: packed.check,
      plan: (ctx) => (ctx.in(3).isConst ? packed.plan(ctx) : planQMatMulRuntime(ctx)),
    });
  }
}
