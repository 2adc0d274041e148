/** FP32 Gemm and MatMul over the packed GEMM kernel (constant B packed once per session). */
import { sizeOf } from '@qtk/core';
import type { NodeCtx } from '../engine/context.js';
import { packBF32 } from '../engine/pack.js';
import type { Val } from '../engine/value.js';
import { fusedClamp } from './activation.js';
import { define, type OpDef } from './registry.js';
import { parallel, splitPanels, unitCount } from '../threads/parallel.js';

/** Dims of a MatMul result with numpy-style batch broadcasting (1-D operands promoted). */
export function matmulDims(ctx: NodeCtx, a: readonly number[], b: readonly number[]): { out: number[]; M: number; K: number; N: number; batchA: number[]; batchB: number[]; batch: number[] } {
  if (a.length === 0 || b.length === 0) throw ctx.shapeError('MatMul of a scalar');
  const A = a.length === 1 ? [1, a[0]!] : [...a];
  const B = b.length === 1 ? [b[0]!, 1] : [...b];
  const M = A[A.length - 2]!, K = A[A.length - 1]!, N = B[B.length - 1]!;
  if (B[B.length - 2] !== K) throw ctx.shapeError(`inner dims differ: [${a.join(',')}] x [${b.join(',')}]`);
  const ba = A.slice(0, -2), bb = B.slice(0, -2);
  const r = Math.max(ba.length, bb.length);
  const batch: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = ba[ba.length - r + i] ?? 1, y = bb[bb.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw ctx.shapeError(`batch dims do not broadcast: [${a.join(',')}] x [${b.join(',')}]`);
    batch.push(Math.max(x, y));
  }
  const out = [...batch];
  if (a.length > 1) out.push(M);
  if (b.length > 1) out.push(N);
  return { out, M, K, N, batchA: ba, batchB: bb, batch };
}

function planMatMul(ctx: NodeCtx): void {
  const a = ctx.in(0), b = ctx.in(1);
  if (a.dtype !== 'float32' || b.dtype !== 'float32') throw ctx.unsupported(`types ${a.dtype} x ${b.dtype} (float32 only)`);
  const d = matmulDims(ctx, a.dims, b.dims);
  const y = ctx.out(0, 'float32', d.out);
  const [lo, hi] = fusedClamp(ctx);
  const { M, K, N } = d;
  const k = ctx.k;
  const batches = sizeOf(d.batch);
  const sizeA = sizeOf(d.batchA), sizeB = sizeOf(d.batchB);
  if (sizeB === 1 && b.isConst) {
    // fold A's batch into rows: one GEMM of (batches*M) x K by K x N
    const rows = batches * M;
    if (sizeA !== batches) throw ctx.unsupported('A broadcast along batch against a 2-D B');
    const bp = ctx.staticF32('B', () => packBF32(b.data as Float32Array, 0, K, N, N, 1));
    const ap = ctx.scratch(Math.ceil(rows / 4) * 4 * K * 4);
    const pa = a.isConst ? ctx.constPtr(a) : -1;
    // threads take contiguous ranges of output columns (whole 8-column panels)
    const units = unitCount(k, rows * K * N, Math.ceil(N / 8));
    ctx.step(() => {
      const src = pa >= 0 ? pa : a.off;
      k.packA(src, rows, K, K, 1, ap.off);
      parallel(k, units, (kk, u) => {
        const [c0, c1] = splitPanels(N, units, u);
        if (c1 <= c0) return;
        kk.sgemm(rows, c1 - c0, K, ap.off, bp + c0 * K * 4, y.off + c0 * 4, N);
        if (lo !== -Infinity || hi !== Infinity) kk.biasAct(rows, c1 - c0, y.off + c0 * 4, N, 0, 0, lo, hi);
      });
    }, [a], [y], [ap]);
    return;
  }
  const ap = ctx.scratch(Math.ceil(M / 4) * 4 * K * 4);
  const bq = ctx.scratch(Math.ceil(N / 8) * 8 * K * 4);
  const pa = a.isConst ? ctx.constPtr(a) : -1, pb = b.isConst ? ctx.constPtr(b) : -1;
  const fullA = sizeA === batches, fullB = sizeB === batches;
  if (!(fullA || sizeA === 1) || !(fullB || sizeB === 1)) throw ctx.unsupported('partial batch broadcasting');
  const units = unitCount(k, M * K * N, Math.ceil(N / 8));
  ctx.step(() => {
    const sa = pa >= 0 ? pa : a.off, sb = pb >= 0 ? pb : b.off;
    for (let i = 0; i < batches; i++) {
      k.packA(sa + (fullA ? i * M * K * 4 : 0), M, K, K, 1, ap.off);
      k.packB(sb + (fullB ? i * K * N * 4 : 0), K, N, N, 1, bq.off);
      const yp = y.off + i * M * N * 4;
      parallel(k, units, (kk, u) => {
        const [c0, c1] = splitPanels(N, units, u);
        if (c1 <= c0) return;
        kk.sgemm(M, c1 - c0, K, ap.off, bq.off + c0 * K * 4, yp + c0 * 4, N);
        if (lo !== -Infinity || hi !== Infinity) kk.biasAct(M, c1 - c0, yp + c0 * 4, N, 0, 0, lo, hi);
      });
    }
  }, [a, b], [y], [ap, bq]);
}

/** Bias of Gemm: mode 1 per row, 2 per column, 3 a full [M, N] matrix added after the product. */
export function gemmBias(ctx: NodeCtx, c: Val | undefined, M: number, N: number, beta: number): { mode: number; values: Float32Array } | undefined {
  if (!c) return undefined;
  ctx.needConst(c, 'C');
  const n = c.size;
  const vals = Float32Array.from(c.nums().map((v) => v * beta));
  if (n === 1) return { mode: 2, values: new Float32Array(N).fill(vals[0]!) };
  if (n === N && c.dims[c.dims.length - 1] === N) return { mode: 2, values: vals };
  if (n === M && c.dims.length === 2 && c.dims[0] === M) return { mode: 1, values: vals };
  if (n === M * N && c.dims.length === 2 && c.dims[0] === M) return { mode: 3, values: vals };
  throw ctx.shapeError(`C of dims [${c.dims.join(',')}] does not broadcast to [${M},${N}]`);
}

function planGemm(ctx: NodeCtx): void {
  const a = ctx.in(0), b = ctx.in(1), c = ctx.opt(2);
  if (a.dtype !== 'float32' || b.dtype !== 'float32') throw ctx.unsupported(`types ${a.dtype} x ${b.dtype} (float32 only)`);
  const tA = ctx.int('transA', 0), tB = ctx.int('transB', 0);
  const alpha = ctx.float('alpha', 1), beta = ctx.float('beta', 1);
  if (a.dims.length !== 2 || b.dims.length !== 2) throw ctx.shapeError('A and B must be 2-D');
  const M = tA ? a.dims[1]! : a.dims[0]!, K = tA ? a.dims[0]! : a.dims[1]!;
  const N = tB ? b.dims[0]! : b.dims[1]!;
  if ((tB ? b.dims[1] : b.dims[0]) !== K) throw ctx.shapeError(`inner dims differ: A [${a.dims.join(',')}] B [${b.dims.join(',')}]`);
  const bias = gemmBias(ctx, c, M, N, beta);
  const y = ctx.out(0, 'float32', [M, N]);
  const [lo, hi] = fusedClamp(ctx);
  const k = ctx.k;
  const ap = ctx.scratch(Math.ceil(M / 4) * 4 * K * 4);
  const biasPtr = bias ? ctx.staticF32('bias', () => bias.values) : 0;
  const matrix = bias?.mode === 3;
  const meta = matrix ? ctx.cached('meta', () => ctx.state.heap.put(new Int32Array([1, 1, 1, 1, 1, M * N, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]))) : 0;
  const epilogue = (y0: number) => {
    if (matrix) {
      k.binaryF32(0, y0, biasPtr, y0, meta, meta + 24, meta + 48);
      if (lo !== -Infinity || hi !== Infinity) k.biasAct(M, N, y0, N, 0, 0, lo, hi);
    } else k.biasAct(M, N, y0, N, biasPtr, bias?.mode ?? 0, lo, hi);
  };
  const [brs, bcs] = tB ? [1, K] : [N, 1];
  const [ars, aks] = tA ? [1, M] : [K, 1];
  const pa = a.isConst ? ctx.constPtr(a) : -1;
  // threads take contiguous ranges of output columns (whole 8-column panels): the product and,
  // unless the bias is a full matrix, its epilogue
  const units = unitCount(k, M * K * N, Math.ceil(N / 8));
  const product = (bpk: number) => parallel(k, units, (kk, u) => {
    const [c0, c1] = splitPanels(N, units, u);
    if (c1 <= c0) return;
    kk.sgemm(M, c1 - c0, K, ap.off, bpk + c0 * K * 4, y.off + c0 * 4, N);
    if (!matrix) kk.biasAct(M, c1 - c0, y.off + c0 * 4, N, biasPtr && bias?.mode === 2 ? biasPtr + c0 * 4 : biasPtr, bias?.mode ?? 0, lo, hi);
  });
  if (b.isConst) {
    const bp = ctx.staticF32('B', () => {
      const p = packBF32(b.data as Float32Array, 0, K, N, brs, bcs);
      if (alpha !== 1) for (let i = 0; i < p.length; i++) p[i]! *= alpha;
      return p;
    });
    ctx.step(() => {
      k.packA(pa >= 0 ? pa : a.off, M, K, ars, aks, ap.off);
      product(bp);
      if (matrix) epilogue(y.off);
    }, [a], [y], [ap]);
    return;
  }
  if (alpha !== 1) ctx.needConst(b, 'B (with alpha other than 1)');
  const bq = ctx.scratch(Math.ceil(N / 8) * 8 * K * 4);
  ctx.step(() => {
    k.packA(pa >= 0 ? pa : a.off, M, K, ars, aks, ap.off);
    k.packB(b.off, K, N, brs, bcs, bq.off);
    product(bq.off);
    if (matrix) epilogue(y.off);
  }, [a, b], [y], [ap, bq]);
}

/** Registers Gemm and MatMul (FP32). */
export function registerGemm(t: Map<string, OpDef>): void {
  define(t, ['MatMul'], { plan: planMatMul });
  define(t, ['Gemm'], { plan: planGemm });
}
