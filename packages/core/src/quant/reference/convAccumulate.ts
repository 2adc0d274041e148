/**
 * The integer core shared by ConvInteger and QLinearConv: zero-point-shifted inputs and
 * int32 accumulators of a grouped 2-D convolution (plain loops, correctness first).
 */
import { planConv, type ConvPlan } from './convGeometry.js';
import type { ConvIntegerParams } from './convIntegerParams.js';
import { checkQuantInput, checkZeroPointType, intValues, perChannel, scalarOf } from './intValues.js';

/** Int32 accumulators of a grouped 2-D convolution of zero-point-shifted integers (plain loops). */
export function convAccumulate(xs: Int32Array, ws: Int32Array, g: ConvPlan): Int32Array {
  const { N, C, H, W, M, KH, KW, OH, OW, cPerGroup, mPerGroup, padTop, padLeft, strideH, strideW, dilH, dilW } = g;
  const out = new Int32Array(N * M * OH * OW);
  for (let n = 0; n < N; n++) {
    for (let m = 0; m < M; m++) {
      const c0 = Math.floor(m / mPerGroup) * cPerGroup;
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) {
          let acc = 0;
          for (let cc = 0; cc < cPerGroup; cc++) {
            const xPlane = (n * C + c0 + cc) * H;
            const wPlane = (m * cPerGroup + cc) * KH;
            for (let kh = 0; kh < KH; kh++) {
              const ih = oh * strideH - padTop + kh * dilH;
              if (ih < 0 || ih >= H) continue;
              for (let kw = 0; kw < KW; kw++) {
                const iw = ow * strideW - padLeft + kw * dilW;
                if (iw < 0 || iw >= W) continue;
                acc += xs[(xPlane + ih) * W + iw]! * ws[(wPlane + kh) * KW + kw]!;
              }
            }
          }
          out[((n * M + m) * OH + oh) * OW + ow] = acc;
        }
      }
    }
  }
  return out;
}

/** X and W with their zero points subtracted, and the plan, shared by ConvInteger and QLinearConv. */
export function shiftedConvInputs(p: ConvIntegerParams, op: string): { xs: Int32Array; ws: Int32Array; plan: ConvPlan } {
  checkQuantInput(p.x, `${op} X`);
  checkQuantInput(p.w, `${op} W`);
  checkZeroPointType(p.xZeroPoint, p.x, `${op} x_zero_point`);
  checkZeroPointType(p.wZeroPoint, p.w, `${op} w_zero_point`);
  const plan = planConv(p.x.dims, p.w.dims, p, op);
  const xs = intValues(p.x, `${op} X`);
  const xz = p.xZeroPoint ? scalarOf(p.xZeroPoint, `${op} x_zero_point`) : 0;
  for (let i = 0; i < xs.length; i++) xs[i] = xs[i]! - xz;
  const ws = intValues(p.w, `${op} W`);
  const wz = perChannel(p.wZeroPoint, plan.M, `${op} w_zero_point`);
  const perM = ws.length / plan.M;
  for (let i = 0; i < ws.length; i++) ws[i] = ws[i]! - wz[Math.floor(i / perM)]!;
  return { xs, ws, plan };
}
