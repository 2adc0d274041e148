/**
 * A calibration cache from a static calibration: each calibrated activation's scale as
 * TensorRT computes it, `amax / 127` with `amax` the half-width of its symmetric range.
 */
import { convertStatic, QtkError, quantRange, type GivenRange, type ObservedQParams, type ObservedRange, type StaticConversion, type StaticState } from '@qtk/core';
import type { CalibrationAlgorithm, CalibrationCache } from './calibrationCache.js';
import { trtVersionDigits } from './trtVersion.js';

/** What the cache header says. */
export interface CacheHeader {
  /** TensorRT version: '10.3.0', or header digits '100300' (see `trtVersionDigits`). */
  version: string;
  /** The calibrator the cache is for (`tensorrtCalibrator(method).algorithm`); TensorRT loads a cache only into a calibrator of the same algorithm. */
  algorithm: CalibrationAlgorithm;
}

/** `amax / 127` as float32; E_OBSERVER naming the tensor when amax is not finite. */
function scaleOf(tensor: string, amax: number): number {
  if (!Number.isFinite(amax)) throw new QtkError('E_OBSERVER', `tensor '${tensor}' has a range of half-width ${amax}: no scale can be cached`, { tensor });
  return Math.fround(amax / 127);
}

/** `max(|min|, |max|)` of a per-tensor range (observed ranges are float32 already). */
function amaxOfRange(tensor: string, r: ObservedRange | GivenRange): number {
  const lo = typeof r.min === 'number' ? r.min : r.min[0];
  const hi = typeof r.max === 'number' ? r.max : r.max[0];
  if (lo === undefined || hi === undefined || (typeof r.min !== 'number' && r.min.length !== 1)) {
    throw new QtkError('E_OBSERVER', `tensor '${tensor}' has a per-channel range: TensorRT caches one scale per tensor`, { tensor });
  }
  return Math.max(Math.abs(lo), Math.abs(hi));
}

/**
 * The half-width of the range scale and zero point `qp` stand for on the state's
 * activation grid: `scale * (qmax - qmin) / 2` for a symmetric spec (on TensorRT's int8
 * grid [-127, 127] that is `127 * scale`, so the cached scale is the Q/DQ scale itself),
 * else the larger end of `scale * ([qmin, qmax] - zeroPoint)`.
 */
function amaxOfQParams(state: StaticState, qp: ObservedQParams): number {
  const [qmin, qmax] = quantRange(state.activationSpec);
  const scale = qp.scale[0]!;
  if (state.activationSpec.symmetric) return (scale * (qmax - qmin)) / 2;
  const zp = qp.zeroPoint[0]!;
  return Math.max(Math.abs(scale * (qmin - zp)), Math.abs(scale * (qmax - zp)));
}

/**
 * The calibration cache of a static calibration, for TensorRT's implicit quantization or
 * to quantize again later without data (`rangesFromCache`).
 *
 * From a `StaticState` (`prepareStatic`): one entry per activation the explicit model
 * quantizes (`conversion.plan`, by default `convertStatic(state)`, which copies the model:
 * pass the conversion you have), those that reuse another's scale (MaxPool, Reshape) with
 * that scale, then any other tensor the state calibrated. `amax` is what the activation's
 * Q/DQ scale and zero point cover on the state's grid (see above): on TensorRT's symmetric
 * int8 grid [-127, 127] the cached scale equals the Q/DQ scale; on onnxruntime's
 * [-128, 127] it is `127.5 / 127` times it, rounded to float32.
 * From observed or given ranges (tensor → `{ min, max }`): `amax = max(|min|, |max|)`,
 * the symmetric range TensorRT derives from a range (MinMaxCalibration: max |x| over all
 * batches), in the map's order. E_OPTION for a bad version, E_OBSERVER for a non-finite
 * or per-channel range.
 */
export function cacheFromCalibration(
  source: StaticState | ReadonlyMap<string, ObservedRange | GivenRange>, header: CacheHeader, conversion?: StaticConversion,
): CalibrationCache {
  const version = trtVersionDigits(header.version);
  const scales = new Map<string, number>();
  if (source instanceof Map) {
    for (const [tensor, r] of source as ReadonlyMap<string, ObservedRange | GivenRange>) scales.set(tensor, scaleOf(tensor, amaxOfRange(tensor, r)));
  } else {
    const state = source as StaticState;
    const plan = (conversion ?? convertStatic(state)).plan;
    for (const [tensor, t] of plan.tensors) {
      if (t.role === 'activation' || t.role === 'shared') scales.set(tensor, scaleOf(tensor, amaxOfQParams(state, t.qparams)));
    }
    for (const [tensor, qp] of state.qparams) if (!scales.has(tensor)) scales.set(tensor, scaleOf(tensor, amaxOfQParams(state, qp)));
  }
  return { version, algorithm: header.algorithm, scales };
}
