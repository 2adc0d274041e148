/**
 * ONNX MatMulInteger reference: `Y = (A - aZeroPoint) x (B - bZeroPoint)` in int32, with numpy
 * matmul broadcasting. Zero points: a scalar, per row of A (M values, or [..., M, 1] per batch),
 * per column of B (N values, or [..., 1, N] per batch).
 * Example: A uint8 [4, 3] x B uint8 [3, 2] gives int32 [4, 2].
 */
import { QtkError } from '../../errors/QtkError.js';
import { Tensor } from '../../ir/tensor.js';
import { checkQuantInput, checkZeroPointType, intValues } from './intValues.js';
import { planMatMul } from './matmulShape.js';

/** Inputs of MatMulInteger (the operator has no attributes). */
export interface MatMulIntegerParams {
  /** A, int8/uint8 (any quantized integer type), dims [..., M, K] or [K]. */
  a: Tensor;
  /** B, dims [..., K, N] or [K]. */
  b: Tensor;
  /** Zero point of A: scalar, [M], or [..., M, 1]; default 0. */
  aZeroPoint?: Tensor;
  /** Zero point of B: scalar, [N], or [..., 1, N]; default 0. */
  bZeroPoint?: Tensor;
}

/** Expands a zero point to one value per (batch, line) of `batches * lines`; E_SHAPE when its size fits none. */
function expandZeroPoint(zp: Tensor | undefined, batches: number, lines: number, what: string): Int32Array {
  const out = new Int32Array(batches * lines);
  if (!zp) return out;
  const v = intValues(zp, what);
  if (v.length === 1) return out.fill(v[0]!);
  if (v.length === lines) {
    for (let b = 0; b < batches; b++) out.set(v, b * lines);
    return out;
  }
  if (v.length === batches * lines) return v;
  throw new QtkError('E_SHAPE', `${what} has ${v.length} values (dims [${zp.dims.join(',')}]), expected 1, ${lines} or ${batches * lines}`);
}

/** ONNX MatMulInteger: int32 product of zero-point-shifted integer matrices, batched as numpy matmul. */
export function matMulInteger(p: MatMulIntegerParams): Tensor {
  const { a, b } = p;
  checkQuantInput(a, 'MatMulInteger A');
  checkQuantInput(b, 'MatMulInteger B');
  checkZeroPointType(p.aZeroPoint, a, 'MatMulInteger a_zero_point');
  checkZeroPointType(p.bZeroPoint, b, 'MatMulInteger b_zero_point');
  const s = planMatMul(a.dims, b.dims, 'MatMulInteger');
  const { M, K, N } = s;
  const av = intValues(a, 'A');
  const bv = intValues(b, 'B');
  const az = expandZeroPoint(p.aZeroPoint, s.aBatches, M, 'MatMulInteger a_zero_point');
  const bz = expandZeroPoint(p.bZeroPoint, s.bBatches, N, 'MatMulInteger b_zero_point');
  const out = new Int32Array(s.aBatch.length * M * N);
  for (let batch = 0; batch < s.aBatch.length; batch++) {
    const ab = s.aBatch[batch]!;
    const bb = s.bBatch[batch]!;
    const aOff = ab * M * K;
    const bOff = bb * K * N;
    const oOff = batch * M * N;
    for (let m = 0; m < M; m++) {
      const za = az[ab * M + m]!;
      for (let n = 0; n < N; n++) {
        const zb = bz[bb * N + n]!;
        let acc = 0;
        for (let k = 0; k < K; k++) acc += (av[aOff + m * K + k]! - za) * (bv[bOff + k * N + n]! - zb);
        out[oOff + m * N + n] = acc;
      }
    }
  }
  return new Tensor('int32', out, s.outDims);
}
