/**
 * ONNX QLinearMatMul reference: the integer product of MatMulInteger, requantized to the
 * output's scale and zero point in float32 (as onnxruntime). Scales and zero points are
 * per-tensor, or per row of A / per column of B / per row of Y.
 * Example: uint8 [2, 4] x uint8 [4, 3] with scalar parameters gives uint8 [2, 3].
 */
import { QtkError } from '../../errors/QtkError.js';
import { allocData, intRange } from '../../ir/dtype.js';
import { Tensor } from '../../ir/tensor.js';
import { checkQuantInput, perChannel } from './intValues.js';
import { matMulInteger } from './matMulInteger.js';
import { requantize, requantMultiplier } from './requantize.js';

/** Inputs of QLinearMatMul (the operator has no attributes). The output takes yZeroPoint's dtype. */
export interface QLinearMatMulParams {
  a: Tensor;
  /** Scale of A: scalar or one per row (M). */
  aScale: Tensor;
  /** Zero point of A, same size as aScale, A's dtype. */
  aZeroPoint: Tensor;
  b: Tensor;
  /** Scale of B: scalar or one per column (N). */
  bScale: Tensor;
  bZeroPoint: Tensor;
  /** Scale of Y: scalar or one per row (M). */
  yScale: Tensor;
  /** Zero point of Y; its dtype (uint8/int8) is the output dtype. */
  yZeroPoint: Tensor;
}

/** ONNX QLinearMatMul: `Y = saturate(round((A - za) x (B - zb) * sa * sb / sy) + zy)`. */
export function qlinearMatMul(p: QLinearMatMulParams): Tensor {
  checkQuantInput(p.yZeroPoint, 'QLinearMatMul y_zero_point');
  const acc = matMulInteger({ a: p.a, b: p.b, aZeroPoint: p.aZeroPoint, bZeroPoint: p.bZeroPoint });
  const M = p.a.dims.length > 1 ? p.a.dims[p.a.dims.length - 2]! : 1;
  const N = p.b.dims.length > 1 ? p.b.dims[p.b.dims.length - 1]! : 1;
  if (p.aZeroPoint.size !== p.aScale.size || p.bZeroPoint.size !== p.bScale.size || p.yZeroPoint.size !== p.yScale.size) {
    throw new QtkError('E_SHAPE', `QLinearMatMul: each zero point must have as many values as its scale (a ${p.aZeroPoint.size}/${p.aScale.size}, b ${p.bZeroPoint.size}/${p.bScale.size}, y ${p.yZeroPoint.size}/${p.yScale.size})`);
  }
  const sa = perChannel(p.aScale, M, 'QLinearMatMul a_scale');
  const sb = perChannel(p.bScale, N, 'QLinearMatMul b_scale');
  const sy = perChannel(p.yScale, M, 'QLinearMatMul y_scale');
  const zy = perChannel(p.yZeroPoint, M, 'QLinearMatMul y_zero_point');
  const [lo, hi] = intRange(p.yZeroPoint.dtype);
  const mult = new Float64Array(M * N);
  for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) mult[m * N + n] = requantMultiplier(sa[m]!, sb[n]!, sy[m]!);
  const src = acc.data as Int32Array;
  const count = src.length;
  const q = p.yZeroPoint.dtype === 'int4' || p.yZeroPoint.dtype === 'uint4' ? null : allocData(p.yZeroPoint.dtype, count) as Int32Array;
  const y = q ? new Tensor(p.yZeroPoint.dtype, q, acc.dims) : Tensor.zeros(p.yZeroPoint.dtype, acc.dims);
  for (let i = 0; i < count; i++) {
    const mn = i % (M * N);
    const v = requantize(src[i]!, mult[mn]!, zy[Math.floor(mn / N)]!, lo, hi);
    if (q) q[i] = v;
    else y.set(i, v);
  }
  return y;
}
