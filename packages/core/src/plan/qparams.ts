/**
 * Scale and zero point of a tensor, and the pure math that gives them for a constant
 * (a weight) from its values. Activations get theirs from calibration (observers).
 */
import { QtkError } from '../errors/QtkError.js';
import type { QParams } from '../quant/tensorQParams.js';
import type { Tensor } from '../ir/tensor.js';
import { channelMinMax } from '../observers/minmax.js';
import { computeQParams } from '../quant/qparams.js';
import { layoutMinMax } from '../quant/layoutRange.js';
import type { QuantSpec } from '../spec/quantSpec.js';

/** Scale and zero point of one tensor (defined in quant/tensorQParams.ts). */
export type { QParams } from '../quant/tensorQParams.js';

/**
 * Scale and zero point for a constant from its values: one pair per tensor, per index of the
 * axis, or per block of `blockSize` along the axis (the last block may be shorter).
 * Throws E_OPTION for an axis outside the tensor or a block size that is not a positive integer.
 */
export function weightQParams(w: Tensor, spec: QuantSpec, name: string): QParams {
  const g = spec.granularity;
  let axis = g.kind === 'perTensor' ? undefined : g.axis;
  if (axis !== undefined && (axis < -w.dims.length || axis >= w.dims.length)) {
    throw new QtkError('E_OPTION', `${g.kind === 'perBlock' ? 'per-block' : 'per-channel'} axis ${axis} does not exist on tensor '${name}' of rank ${w.dims.length}`, { tensor: name });
  }
  if (axis !== undefined && axis < 0) axis += w.dims.length;
  if (g.kind === 'perBlock' && !(Number.isInteger(g.blockSize) && g.blockSize > 0)) {
    throw new QtkError('E_OPTION', `block size ${g.blockSize} of tensor '${name}' must be a positive integer`, { tensor: name, option: 'blockSize' });
  }
  if (g.kind !== 'perBlock') {
    const { min, max } = channelMinMax(w, axis);
    const { scale, zeroPoint } = computeQParams(min, max, spec);
    return { scale, zeroPoint, dtype: spec.dtype, axis };
  }
  const { min, max, plan } = layoutMinMax(w, { axis, blockSize: g.blockSize });
  const { scale, zeroPoint } = computeQParams(min, max, spec);
  return { scale, zeroPoint, dtype: spec.dtype, axis, blockSize: g.blockSize, paramDims: plan.paramDims };
}
