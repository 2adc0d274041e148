/** FP32 Conv: im2col + packed GEMM per image and group, direct kernel for depthwise. */
import type { NodeCtx } from '../engine/context.js';
import { packAF32 } from '../engine/pack.js';
import { fusedClamp } from './activation.js';
import { chunkColumns, convGroups, window2d, windowOutDims, windowParamsPtr } from './convGeometry.js';
import { define, type OpDef } from './registry.js';
import { parallel, slotCount, splitPanels, unitCount } from '../threads/parallel.js';

function planConv(ctx: NodeCtx): void {
  const x = ctx.in(0), w = ctx.constIn(1, 'weight'), b = ctx.opt(2);
  if (x.dtype !== 'float32' || w.dtype !== 'float32') throw ctx.unsupported(`types ${x.dtype} x ${w.dtype} (float32 only)`);
  if (b) ctx.needConst(b, 'bias');
  const { group, N, C, M, Cg, Mg } = convGroups(ctx, x.dims, w.dims);
  const ks = ctx.ints('kernel_shape') ?? w.dims.slice(2);
  if (ks.join(',') !== w.dims.slice(2).join(',')) throw ctx.shapeError(`kernel_shape [${ks.join(',')}] differs from the weight's`);
  const g = window2d(ctx, x.dims, w.dims.slice(2));
  const y = ctx.out(0, 'float32', windowOutDims(x.dims, M, g));
  const [lo, hi] = fusedClamp(ctx);
  const bias = b ? ctx.constPtr(b) : 0;
  const OHW = g.OH * g.OW, HW = g.H * g.W;
  const k = ctx.k;
  const win = windowParamsPtr(ctx, g);
  if (Cg === 1 && group === C) {
    const wp = ctx.constPtr(w);
    // threads take contiguous ranges of channels
    const units = unitCount(k, N * M * g.kh * g.kw * OHW, C);
    ctx.step(() => {
      parallel(k, units, (kk, u) => {
        const c0 = Math.floor((u * C) / units), c1 = Math.floor(((u + 1) * C) / units);
        if (c1 <= c0) return;
        for (let n = 0; n < N; n++) {
          kk.depthwiseF32(x.off + (n * C + c0) * HW * 4, c1 - c0, wp + c0 * Mg * g.kh * g.kw * 4, bias ? bias + c0 * Mg * 4 : 0, Mg, win, y.off + (n * M + c0 * Mg) * OHW * 4, lo, hi);
        }
      });
    }, [x], [y]);
    return;
  }
  const K = Cg * g.kh * g.kw;
  const wd = w.data as Float32Array;
  const packed = Array.from({ length: group }, (_, gi) => ctx.staticF32(`A${gi}`, () => packAF32(wd, gi * Mg * K, Mg, K, K, 1)));
  const pointwise = g.kh === 1 && g.kw === 1 && g.sh === 1 && g.sw === 1 && g.pt + g.pl + g.pb + g.pr === 0;
  const chunk = chunkColumns(K * 4, OHW);
  // threads take contiguous ranges of output columns (whole 8-column panels), each with its own im2col buffer
  const units = unitCount(k, Mg * K * OHW, Math.ceil(OHW / 8)), slots = slotCount(k, units);
  const col = ctx.scratch(chunk * K * 4 * slots);
  ctx.step(() => {
    for (let n = 0; n < N; n++) {
      for (let gi = 0; gi < group; gi++) {
        const xp = x.off + (n * C + gi * Cg) * HW * 4;
        const yp = y.off + (n * M + gi * Mg) * OHW * 4;
        parallel(k, units, (kk, u, slot) => {
          const [c0, c1] = splitPanels(OHW, units, u);
          const buf = col.off + slot * chunk * K * 4;
          // im2col and GEMM chunk by chunk of output columns, so the packed columns stay in cache
          for (let n0 = c0; n0 < c1; n0 += chunk) {
            const cnt = Math.min(chunk, c1 - n0);
            if (pointwise) kk.packB(xp + n0 * 4, K, cnt, HW, 1, buf);
            else kk.im2colF32(xp, Cg, win, n0, cnt, buf);
            kk.sgemm(Mg, cnt, K, packed[gi]!, buf, yp + n0 * 4, OHW);
          }
          if (c1 > c0) kk.biasAct(Mg, c1 - c0, yp + c0 * 4, OHW, bias ? bias + gi * Mg * 4 : 0, bias ? 1 : 0, lo, hi);
        });
      }
    }
  }, [x], [y], [col]);
}

/** Registers Conv (FP32). */
export function registerConv(t: Map<string, OpDef>): void {
  define(t, ['Conv'], { plan: planConv });
}
