/**
 * Integer Conv and MatMul/Gemm: QLinearConv, ConvInteger, QLinearMatMul, MatMulInteger,
 * com.microsoft QGemm, and the fused QDQ forms the graph rewrite produces. Activations are
 * packed as int16 with their zero point subtracted (im2col for Conv), weights once per
 * session; the int32 products are requantized per output channel to 8 bits or float32.
 */
import { sizeOf } from '@qtk/core';
import type { NodeCtx } from '../engine/context.js';
import { narrowPacked, packAQ, packBQ, QGEMM_KC } from '../engine/pack.js';
import type { Val } from '../engine/value.js';
import { fusedClamp, fusedClampCodes } from './activation.js';
import { chunkColumns, convGroups, window2d, windowOutDims, windowParamsPtr } from './convGeometry.js';
import { matmulDims } from './gemm.js';
import { constScalar, scalarOrRuntime } from './scalarInput.js';
import { define, type OpDef } from './registry.js';
import { parallel, slotCount, splitPanels, unitCount } from '../threads/parallel.js';

/** Kernel exports of the GEMMs over int8-stored A panels and of requantization with an int32 bias (assembly/qgemm.ts). */
interface A8Kernels {
  qgemmA8(M: number, N: number, KP: number, a: number, b: number, c: number, ldc: number, aw: number): void;
  qgemmRequant8Bias(M: number, N: number, KP: number, a: number, b: number, c: number, ldc: number, mult: number, add: number, ibias: number, zp: number, lo: number, hi: number, y: number, ldy: number, aw: number): void;
  requant8Bias(M: number, N: number, c: number, ldc: number, mult: number, add: number, ibias: number, mode: number, zp: number, lo: number, hi: number, y: number, ldy: number): void;
}

/** Rows x pairs of the block of A the int8-A GEMMs widen at a time (MC x KC in assembly/qgemm.ts). */
const A8_BLOCK_ROWS = 64, A8_BLOCK_PAIRS = QGEMM_KC;

/** Kernel memory of packed weights: int8 when every weight minus its zero point fits (`a8`), else int16. */
interface PackedA {
  ptr: number;
  a8: boolean;
}

/** Puts packed A panels in kernel memory, in their int8 form when it exists. */
function putPacked(ctx: NodeCtx, p: Int16Array): PackedA {
  const n = narrowPacked(p);
  return n ? { ptr: ctx.state.heap.put(n), a8: true } : { ptr: ctx.state.heap.put(p), a8: false };
}

/** Internal domain of the fused ops the QDQ rewrite creates. */
export const FUSED_DOMAIN = 'qtk.wasm';

/** Internal attribute marking a fused QMatMul that came from Gemm (2-D A, optional transB). */
export const GEMM_FORM = '_qtk_gemm';

/** Where a fused op's output goes: 8-bit with scale/zero point, float32, or raw int32. */
type OutSpec = { kind: 'q'; scale: number; zp: number; dtype: 'uint8' | 'int8' } | { kind: 'f32' } | { kind: 'i32' };

/** Everything an integer Conv/MatMul needs, read from one of the node forms. */
interface QSpec {
  x: Val;
  /** Zero point of x: a constant, or a runtime scalar value (DynamicQuantizeLinear). */
  xZp: number | Val;
  xScale: number;
  w: Val;
  wScale: number[];
  wZp: number[];
  /** Bias in real units per output channel. */
  bias?: Float64Array;
  /**
   * The int32 bias itself when its scale is x_scale * w_scale: 8-bit outputs add it to the
   * accumulator before scaling, as onnxruntime does.
   */
  ibias?: Int32Array;
  out: OutSpec;
}

function perChannel(ctx: NodeCtx, v: Val | undefined, n: number, what: string, fallback: number): number[] {
  if (!v) return new Array(n).fill(fallback);
  ctx.needConst(v, what);
  if (v.size === 1) return new Array(n).fill(v.num(0));
  if (v.size !== n) throw ctx.shapeError(`${what} has ${v.size} entries, expected 1 or ${n}`);
  return v.nums();
}

function int8Input(ctx: NodeCtx, v: Val, what: string): Val {
  if (v.dtype !== 'uint8' && v.dtype !== 'int8') throw ctx.unsupported(`${what} of type ${v.dtype} (uint8/int8 only)`);
  return v;
}

/** Reads the spec of a node; `channels` is the number of output channels (weight rows or columns). */
function readSpec(ctx: NodeCtx, channels: (w: Val) => number): QSpec {
  const op = ctx.node.opType;
  const i = (n: number) => ctx.opt(n);
  if (op === 'ConvInteger' || op === 'MatMulInteger') {
    const x = int8Input(ctx, ctx.in(0), 'input'), w = int8Input(ctx, ctx.constIn(1, 'weight'), 'weight');
    const M = channels(w);
    return { x, xZp: scalarOrRuntime(ctx, i(2), 'input zero point', 0), xScale: 1, w, wScale: new Array(M).fill(1), wZp: perChannel(ctx, i(3), M, 'weight zero point', 0), out: { kind: 'i32' } };
  }
  // QLinearConv / QLinearMatMul / fused: x, xs, xz, w, ws, wz, ys, yz, B [, B scale]
  // QGemm: A, as, az, B, bs, bz, C, ys, yz
  const gemm = op === 'QGemm';
  const x = int8Input(ctx, ctx.in(0), 'input'), w = int8Input(ctx, ctx.constIn(3, 'weight'), 'weight');
  const M = channels(w);
  const xScale = constScalar(ctx, ctx.in(1), 'input scale', 1);
  const wScale = perChannel(ctx, ctx.in(4), M, 'weight scale', 1);
  const ys = i(gemm ? 7 : 6), yz = i(gemm ? 8 : 7), b = i(gemm ? 6 : 8);
  let out: OutSpec = { kind: 'f32' };
  if (ys) {
    const zdt = yz ? yz.dtype : 'uint8';
    if (zdt !== 'uint8' && zdt !== 'int8') throw ctx.unsupported(`output zero point type ${zdt}`);
    out = { kind: 'q', scale: constScalar(ctx, ys, 'output scale', 1), zp: constScalar(ctx, yz, 'output zero point', 0), dtype: zdt };
  }
  let bias: Float64Array | undefined, ibias: Int32Array | undefined;
  if (b) {
    ctx.needConst(b, 'bias');
    if (b.size !== M) throw ctx.shapeError(`bias of ${b.size} entries for ${M} output channels`);
    const bv = b.nums();
    if (b.dtype === 'float32') bias = Float64Array.from(bv);
    else if (b.dtype === 'int32') {
      const bs = i(9);
      const bsc = bs ? perChannel(ctx, bs, M, 'bias scale', 1) : wScale.map((s) => s * xScale);
      bias = Float64Array.from(bv.map((v, c) => v * bsc[c]!));
      if (bsc.every((v, c) => Math.abs(v - xScale * wScale[c]!) <= 1e-6 * Math.abs(v))) ibias = Int32Array.from(bv);
    } else throw ctx.unsupported(`bias type ${b.dtype}`);
  }
  if (gemm && ctx.float('alpha', 1) !== 1) throw ctx.unsupported('alpha other than 1');
  return { x, xZp: scalarOrRuntime(ctx, ctx.opt(2), 'input zero point', 0), xScale, w, wScale, wZp: perChannel(ctx, i(5), M, 'weight zero point', 0), bias, ibias, out };
}

/**
 * Per-channel requantization factors and the output clamp. For 8-bit outputs the multiplier
 * is float32 x_scale * w_scale / y_scale evaluated in float32 and an int32 bias goes to the
 * accumulator (`ibias`), as in onnxruntime's QLinearConv/QLinearMatMul/QGemm; otherwise the
 * bias is a float added after scaling.
 */
function requantFactors(ctx: NodeCtx, s: QSpec, M: number): { mult: Float32Array; add: Float32Array; ibias?: Int32Array; lo: number; hi: number } {
  const mult = new Float32Array(M), add = new Float32Array(M);
  const o = s.out;
  const div = o.kind === 'q' ? o.scale : 1;
  const ibias = o.kind === 'q' ? s.ibias : undefined;
  for (let c = 0; c < M; c++) {
    mult[c] = o.kind === 'q' ? Math.fround(Math.fround(s.xScale * s.wScale[c]!) / div) : (s.xScale * s.wScale[c]!) / div;
    add[c] = s.bias && !ibias ? s.bias[c]! / div : 0;
  }
  if (o.kind === 'q') {
    const [lo, hi] = fusedClampCodes(ctx, o.scale, o.zp, o.dtype);
    return { mult, add, ibias, lo, hi };
  }
  const [lo, hi] = fusedClamp(ctx);
  return { mult, add, lo, hi };
}

function zpReader(ctx: NodeCtx, zp: number | Val): () => number {
  if (typeof zp === 'number') return () => zp;
  return () => Number(ctx.view(zp)[0]);
}

/**
 * Input channels (of each group's Cg) with a weight other than the zero point in some
 * filter of some group, ascending; at least one channel.
 */
function liveChannels(wd: Val['data'] & object, group: number, Mg: number, Cg: number, khw: number, wZp: number[]): number[] {
  const live: number[] = [];
  for (let c = 0; c < Cg; c++) {
    let used = false;
    for (let m = 0; m < group * Mg && !used; m++) {
      const base = (m * Cg + c) * khw;
      for (let i = 0; i < khw; i++) if (Number(wd[base + i]!) !== wZp[m]) { used = true; break; }
    }
    if (used) live.push(c);
  }
  return live.length ? live : [0];
}

/** Runs [first, end, position among the live channels) of consecutive live channels. */
function channelRuns(live: number[]): [number, number, number][] {
  const runs: [number, number, number][] = [];
  live.forEach((c, i) => {
    const last = runs[runs.length - 1];
    if (last && last[1] === c) last[1]++;
    else runs.push([c, c + 1, i]);
  });
  return runs;
}

/** The filters of group gi restricted to the live input channels: [Mg, live, kh*kw]. */
function liveWeights(wd: Val['data'] & object, gi: number, Mg: number, Cg: number, khw: number, live: number[]): Val['data'] & object {
  const out = new (wd.constructor as Int8ArrayConstructor)(Mg * live.length * khw);
  for (let m = 0; m < Mg; m++) {
    live.forEach((c, i) => {
      const src = ((gi * Mg + m) * Cg + c) * khw;
      out.set((wd as Int8Array).subarray(src, src + khw), (m * live.length + i) * khw);
    });
  }
  return out;
}

/**
 * The filters of group gi in channel-pair order: [Mg, ceil(Cg/2) * khw, 2], element
 * (m, (cp * khw + tap) * 2 + h) = weight of channel 2cp + h at tap, the zero point past Cg.
 */
function pairWeights(wd: Val['data'] & object, gi: number, Mg: number, Cg: number, khw: number, zp: (m: number) => number): Val['data'] & object {
  const C2 = Math.ceil(Cg / 2);
  const out = new (wd.constructor as Int8ArrayConstructor)(Mg * C2 * khw * 2);
  for (let m = 0; m < Mg; m++) {
    const src = (gi * Mg + m) * Cg * khw, dst = m * C2 * khw * 2;
    for (let c = 0; c < C2 * 2; c++) {
      for (let t = 0; t < khw; t++) {
        out[dst + ((c >> 1) * khw + t) * 2 + (c & 1)] = c < Cg ? Number(wd[src + c * khw + t]!) : zp(m);
      }
    }
  }
  return out;
}

function planQConv(ctx: NodeCtx): void {
  const s = readSpec(ctx, (w) => w.dims[0]!);
  const { x, w } = s;
  const { group, N, C, M, Cg, Mg } = convGroups(ctx, x.dims, w.dims);
  const g = window2d(ctx, x.dims, w.dims.slice(2));
  const OHW = g.OH * g.OW, HW = g.H * g.W;
  const outDims = windowOutDims(x.dims, M, g);
  const y = ctx.out(0, s.out.kind === 'q' ? s.out.dtype : s.out.kind === 'f32' ? 'float32' : 'int32', outDims);
  // w.data is read inside the cached makers only (no closure keeps it: the session may drop it)
  // input channels whose weights all equal the zero point add nothing: they are neither
  // widened nor multiplied (e.g. the channels a Conv's input was padded with for alignment)
  const live = ctx.cached('live', () => liveChannels(w.data!, group, Mg, Cg, g.kh * g.kw, s.wZp));
  const runs = channelRuns(live);
  const Cl = live.length, khw = g.kh * g.kw;
  // channel pairs (K pair = two channels at one tap: im2col copies aligned i32) unless an odd
  // channel count would pad K by much; then pairs run along K in (c, ky, kx) order
  const pairs = Cl === Cg && (Cg % 2 === 0 || Cg >= 16);
  const C2 = Math.ceil(Cl / 2);
  const KP = pairs ? C2 * khw : Math.ceil((Cl * khw) / 2);
  const packed = Array.from({ length: group }, (_, gi) => ctx.cached(`A${gi}`, () => {
    const zp = (r: number) => s.wZp[gi * Mg + r]!;
    if (pairs) return putPacked(ctx, packAQ(pairWeights(w.data!, gi, Mg, Cg, khw, zp), 0, Mg, 2 * KP, 2 * KP, 1, zp));
    return putPacked(ctx, packAQ(liveWeights(w.data!, gi, Mg, Cg, khw, live), 0, Mg, Cl * khw, Cl * khw, 1, zp));
  }));
  ctx.packedOnly(w);
  // threads take contiguous ranges of output columns (whole 8-column panels), each with
  // its own im2col, accumulator and weight-widening buffers
  const units = unitCount(ctx.k, Mg * KP * 2 * OHW, Math.ceil(OHW / 8)), slots = slotCount(ctx.k, units);
  // int8-stored weights are widened one block at a time into this scratch by the GEMM
  // (panels of 4 rows x the block's pairs, 64 bytes apart: a8PanelBytes in assembly/qgemm.ts)
  const awBytes = Math.min(Math.ceil(Mg / 4), A8_BLOCK_ROWS / 4) * (Math.min(KP, A8_BLOCK_PAIRS) * 16 + 64);
  const aw = packed.some((p) => p.a8) ? ctx.scratch(awBytes * slots) : undefined;
  const f = requantFactors(ctx, s, M);
  const pm = ctx.staticF32('mult', () => f.mult), pa = ctx.staticF32('add', () => f.add);
  const pb = f.ibias ? ctx.cached('ibias', () => ctx.state.heap.put(f.ibias!)) : 0;
  const chunk = chunkColumns(KP * 4, OHW);
  const col = ctx.scratch(chunk * KP * 4 * slots);
  // the input group widened to int16 minus its zero point, inside a zero border (+ slack)
  const Hp = g.H + g.pt + g.pb, Wp = g.W + g.pl + g.pr;
  const win = windowParamsPtr(ctx, { ...g, H: Hp, W: Wp });
  const wide = ctx.scratch(pairs ? C2 * Hp * Wp * 4 + 160 : Cl * Hp * Wp * 2 + 64);
  const acc = s.out.kind === 'i32' ? undefined : ctx.scratch(Mg * chunk * 4 * slots);
  const signed = x.dtype === 'int8' ? 1 : 0;
  const xzp = zpReader(ctx, s.xZp);
  const k = ctx.k;
  const out = s.out;
  const xIsConst = x.isConst ? ctx.constPtr(x) : -1;
  ctx.step(() => {
    const z = xzp();
    const xb = xIsConst >= 0 ? xIsConst : x.off;
    for (let n = 0; n < N; n++) {
      for (let gi = 0; gi < group; gi++) {
        const base = (n * M + gi * Mg) * OHW;
        if (pairs) k.padWidenPairQ(xb + (n * C + gi * Cg) * HW, signed, z, Cg, g.H, g.W, g.pt, g.pl, g.pb, g.pr, wide.off + 32);
        else {
          for (const [c0, c1, at] of runs) {
            k.padWidenQ(xb + (n * C + gi * Cg + c0) * HW, signed, z, c1 - c0, g.H, g.W, g.pt, g.pl, g.pb, g.pr, wide.off + 32 + at * Hp * Wp * 2);
          }
        }
        // im2col, GEMM and requantization chunk by chunk of output columns (cache-sized)
        parallel(k, units, (kt, u, slot) => {
          const [s0, s1] = splitPanels(OHW, units, u);
          const kat = kt as unknown as A8Kernels;
          const colOff = col.off + slot * chunk * KP * 4, accOff = acc ? acc.off + slot * Mg * chunk * 4 : 0;
          const awOff = aw ? aw.off + slot * awBytes : 0;
          for (let n0 = s0; n0 < s1; n0 += chunk) {
            const cnt = Math.min(chunk, s1 - n0);
            if (pairs) kt.im2colPairQ(wide.off + 32, C2, win, n0, cnt, colOff);
            else kt.im2colQ(wide.off + 32, Cl, win, n0, cnt, colOff);
            const A = packed[gi]!;
            const c = out.kind === 'i32' ? y.off + (base + n0) * 4 : accOff, ldc = out.kind === 'i32' ? OHW : cnt;
            if (out.kind === 'q') {
              kat.qgemmRequant8Bias(Mg, cnt, KP, A.ptr, colOff, c, ldc, pm + gi * Mg * 4, pa + gi * Mg * 4, pb ? pb + gi * Mg * 4 : 0, out.zp, f.lo, f.hi, y.off + base + n0, OHW, A.a8 ? awOff : 0);
              continue;
            }
            if (A.a8) kat.qgemmA8(Mg, cnt, KP, A.ptr, colOff, c, ldc, awOff);
            else kt.qgemm(Mg, cnt, KP, A.ptr, colOff, c, ldc);
            if (out.kind === 'i32') continue;
            kt.requantF32(Mg, cnt, accOff, cnt, pm + gi * Mg * 4, pa + gi * Mg * 4, 1, f.lo, f.hi, y.off + (base + n0) * 4, OHW);
          }
        });
      }
    }
  }, [x, ...(typeof s.xZp === 'number' ? [] : [s.xZp])], [y], [col, wide, ...(acc ? [acc] : []), ...(aw ? [aw] : [])]);
}

function planQMatMul(ctx: NodeCtx): void {
  const gemm = ctx.node.opType === 'QGemm' || ctx.int(GEMM_FORM, 0) === 1;
  const tB = ctx.int('transB', 0) === 1;
  if (ctx.int('transA', 0) !== 0) throw ctx.unsupported('transA=1');
  const s = readSpec(ctx, (w) => (tB ? w.dims[0]! : w.dims[w.dims.length - 1]!));
  const { x, w } = s;
  if (w.dims.length !== 2) throw ctx.unsupported(`weight of rank ${w.dims.length} (2-D only)`);
  const K = tB ? w.dims[1]! : w.dims[0]!, N = tB ? w.dims[0]! : w.dims[1]!;
  const d = gemm
    ? { out: [x.dims[0]!, N], M: x.dims[0]!, K: x.dims[1]!, batch: [] as number[] }
    : matmulDims(ctx, x.dims, [K, N]);
  if (d.K !== K) throw ctx.shapeError(`inner dims differ: [${x.dims.join(',')}] x [${w.dims.join(',')}]`);
  const rows = sizeOf(d.batch) * d.M;
  const KP = Math.ceil(K / 2);
  const y = ctx.out(0, s.out.kind === 'q' ? s.out.dtype : s.out.kind === 'f32' ? 'float32' : 'int32', d.out);
  const bp = ctx.cached('B', () => ctx.state.heap.put(packBQ(w.data!, 0, K, N, tB ? 1 : N, tB ? K : 1, (c) => s.wZp[c]!)));
  ctx.packedOnly(w);
  const f = requantFactors(ctx, s, N);
  const pm = ctx.staticF32('mult', () => f.mult), pa = ctx.staticF32('add', () => f.add);
  const pb = f.ibias ? ctx.cached('ibias', () => ctx.state.heap.put(f.ibias!)) : 0;
  const ap = ctx.scratch(Math.ceil(rows / 4) * 4 * KP * 4);
  const acc = s.out.kind === 'i32' ? undefined : ctx.scratch(rows * N * 4);
  const signed = x.dtype === 'int8' ? 1 : 0;
  const xzp = zpReader(ctx, s.xZp);
  const k = ctx.k;
  const out = s.out;
  const xIsConst = x.isConst ? ctx.constPtr(x) : -1;
  // threads take contiguous ranges of output columns (whole 8-column panels of B)
  const units = unitCount(k, rows * KP * 2 * N, Math.ceil(N / 8));
  ctx.step(() => {
    k.packAQ(xIsConst >= 0 ? xIsConst : x.off, signed, xzp(), rows, K, K, 1, ap.off);
    parallel(k, units, (kt, u) => {
      const [c0, c1] = splitPanels(N, units, u);
      if (c1 <= c0) return;
      const bq = bp + c0 * KP * 4;
      if (out.kind === 'i32') {
        kt.qgemm(rows, c1 - c0, KP, ap.off, bq, y.off + c0 * 4, N);
        return;
      }
      kt.qgemm(rows, c1 - c0, KP, ap.off, bq, acc!.off + c0 * 4, N);
      if (out.kind === 'q') (kt as unknown as A8Kernels).requant8Bias(rows, c1 - c0, acc!.off + c0 * 4, N, pm + c0 * 4, pa + c0 * 4, pb ? pb + c0 * 4 : 0, 2, out.zp, f.lo, f.hi, y.off + c0, N);
      else kt.requantF32(rows, c1 - c0, acc!.off + c0 * 4, N, pm + c0 * 4, pa + c0 * 4, 2, f.lo, f.hi, y.off + c0 * 4, N);
    });
  }, [x, ...(typeof s.xZp === 'number' ? [] : [s.xZp])], [y], acc ? [ap, acc] : [ap]);
}

/** Registers the integer Conv/MatMul family and the fused QDQ forms. */
export function registerQLinear(t: Map<string, OpDef>): void {
  define(t, ['QLinearConv', 'ConvInteger', `${FUSED_DOMAIN}:QConv`], { plan: planQConv });
  define(t, ['QLinearMatMul', 'MatMulInteger', 'com.microsoft:QGemm', `${FUSED_DOMAIN}:QMatMul`], { plan: planQMatMul });
}
