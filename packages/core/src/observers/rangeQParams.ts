/**
 * The step every observer shares from an observed range to scale and zero point:
 * check that the range's shape fits the spec's granularity, then `computeQParams`.
 */
import { QtkError, isQtkError } from '../errors/QtkError.js';
import { computeQParams } from '../quant/qparams.js';
import type { QuantSpec } from '../spec/quantSpec.js';
import type { ObservedQParams, ObservedRange } from './observer.js';

/**
 * Scale and zero point for `spec` from `range` observed on `tensor`.
 * A per-tensor spec needs a range of length 1; a per-axis spec needs an observer made
 * with the same axis (`axis`; negative axes are not compared). Errors from `computeQParams` (non-finite or inverted
 * ranges) come back as E_OBSERVER naming the tensor.
 * Example: range [-1, 3] with an asymmetric uint8 spec gives scale 4/255, zero point 64.
 */
export function rangeQParams(range: ObservedRange, spec: QuantSpec, tensor: string, axis?: number): ObservedQParams {
  const g = spec.granularity;
  if (g.kind === 'perBlock') {
    throw new QtkError('E_UNSUPPORTED', `tensor '${tensor}': observers give per-tensor or per-axis ranges, not per-block (axis ${g.axis}, block ${g.blockSize})`, { tensor });
  }
  if (g.kind === 'perTensor' && range.min.length !== 1) {
    throw new QtkError('E_OBSERVER', `tensor '${tensor}': per-tensor spec but the observer kept ${range.min.length} channels (axis ${axis})`, { tensor });
  }
  if (g.kind === 'perAxis' && axis === undefined) {
    throw new QtkError('E_OBSERVER', `tensor '${tensor}': per-axis spec (axis ${g.axis}) but the observer is per-tensor`, { tensor });
  }
  if (g.kind === 'perAxis' && axis !== undefined && g.axis >= 0 && axis >= 0 && g.axis !== axis) {
    throw new QtkError('E_OBSERVER', `tensor '${tensor}': per-axis spec on axis ${g.axis} but the observer watched axis ${axis}`, { tensor });
  }
  try {
    return computeQParams(range.min, range.max, spec);
  } catch (e) {
    if (isQtkError(e, 'E_OBSERVER')) throw new QtkError('E_OBSERVER', `tensor '${tensor}': ${e.message}`, { tensor }, { cause: e });
    throw e;
  }
}
