/**
 * Symmetric INT4 blocks as TensorRT takes them (Model Optimizer's rule): per output column,
 * blocks of `blockSize` rows along the reduction axis K, scale = absmax / 7, codes in [-7, 7],
 * round half to even. A last block shorter than `blockSize` (K not a multiple) keeps its own
 * scale, as blocked DequantizeLinear reads it (scale rows = ceil(K / blockSize)).
 * Computed with core's weight-only parameters, so it equals what the written model dequantizes to.
 */
import { fakeQuantize, quantSpec, Tensor, weightQParams } from '@qtk/core';

/** The quantization spec of INT4 weight blocks along axis 0 of a [K, N] matrix. */
export function int4BlockSpec(blockSize: number, axis = 0) {
  return quantSpec({
    dtype: 'int4', symmetric: true, narrowRange: true, observer: { kind: 'minmax' },
    granularity: { kind: 'perBlock', axis, blockSize },
  });
}

/** The dequantized INT4 blocks of a row-major [K, N] matrix (blocks along K). */
export function fakeQuantInt4(w: Float32Array, k: number, n: number, blockSize: number, name = 'weight'): Float32Array {
  const t = new Tensor('float32', w, [k, n]);
  const qp = weightQParams(t, int4BlockSpec(blockSize), name);
  return fakeQuantize(t, qp.scale, qp.zeroPoint, 'int4', { axis: 0, blockSize }).data as Float32Array;
}
