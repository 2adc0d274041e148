/** FP32 Conv: im2col + packed GEMM per image and group, direct kernel for depthwise. */
import type { NodeCtx } from '../engine/context.js';
import { packAF32 } from '../engine/pack.js';
import { fusedClamp } from './activation.js';
import { chunkColumns, window2d, windowOutDims } from './convGeometry.js';
import { define, type OpDef } from './registry.js';

function planConv(ctx: NodeCtx): void {
  const x = ctx.in(0), w = ctx.constIn(1, 'weight'), b = ctx.opt(2);
  if (x.dtype !== 'float32' || w.dtype !== 'float32') throw ctx.unsupported(`types ${x.dtype} x ${w.dtype} (float32 only)`);
  if (b) ctx.needConst(b, 'bias');
  const group = ctx.int('group', 1);
  const [N, C] = [x.dims[0]!, x.dims[1]!];
  const M = w.dims[0]!;
  const Cg = C / group, Mg = M / group;
  if (!Number.isInteger(Cg) || !Number.isInteger(Mg) || w.dims[1] !== Cg) {
    throw ctx.shapeError(`input [${x.dims.join(',')}], weight [${w.dims.join(',')}] and group ${group} do not match`);
  }
  const ks = ctx.ints('kernel_shape') ?? w.dims.slice(2);
  if (ks.join(',') !== w.dims.slice(2).join(',')) throw ctx.shapeError(`kernel_shape [${ks.join(',')}] differs from the weight's`);
  const g = window2d(ctx, x.dims, w.dims.slice(2));
  const y = ctx.out(0, 'float32', windowOutDims(x.dims, M, g));
  const [lo, hi] = fusedClamp(ctx);
  const bias = b ? ctx.constPtr(b) : 0;
  const OHW = g.OH * g.OW, HW = g.H * g.W;
  const k = ctx.k;
  if (Cg === 1 && group === C) {
    const wp = ctx.constPtr(w);
    ctx.step(() => {
      for (let n = 0; n < N; n++) {
        k.depthwiseF32(x.off + n * C * HW * 4, C, g.H, g.W, wp, bias, Mg, g.kh, g.kw, g.sh, g.sw, g.dh, g.dw, g.pt, g.pl, g.OH, g.OW, y.off + n * M * OHW * 4, lo, hi);
      }
    }, [x], [y]);
    return;
  }
  const K = Cg * g.kh * g.kw;
  const wd = w.data as Float32Array;
  const packed = Array.from({ length: group }, (_, gi) => ctx.staticF32(`A${gi}`, () => packAF32(wd, gi * Mg * K, Mg, K, K, 1)));
  const pointwise = g.kh === 1 && g.kw === 1 && g.sh === 1 && g.sw === 1 && g.pt + g.pl + g.pb + g.pr === 0;
  const chunk = chunkColumns(K * 4, OHW);
  const col = ctx.scratch(chunk * K * 4);
  ctx.step(() => {
    for (let n = 0; n < N; n++) {
      for (let gi = 0; gi < group; gi++) {
        const xp = x.off + (n * C + gi * Cg) * HW * 4;
        const yp = y.off + (n * M + gi * Mg) * OHW * 4;
        // im2col and GEMM chunk by chunk of output columns, so the packed columns stay in cache
        for (let n0 = 0; n0 < OHW; n0 += chunk) {
          const cnt = Math.min(chunk, OHW - n0);
          if (pointwise) k.packB(xp + n0 * 4, K, cnt, HW, 1, col.off);
          else k.im2colF32(xp, Cg, g.H, g.W, g.kh, g.kw, g.sh, g.sw, g.dh, g.dw, g.pt, g.pl, g.OH, g.OW, n0, cnt, col.off);
          k.sgemm(Mg, cnt, K, packed[gi]!, col.off, yp + n0 * 4, OHW);
        }
        k.biasAct(Mg, OHW, yp, OHW, bias ? bias + gi * Mg * 4 : 0, bias ? 1 : 0, lo, hi);
      }
    }
  }, [x], [y], [col]);
}

/** Registers Conv (FP32). */
export function registerConv(t: Map<string, OpDef>): void {
  define(t, ['Conv'], { plan: planConv });
}
