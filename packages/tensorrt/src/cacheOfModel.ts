/**
 * The calibration cache of an explicitly quantized model: one entry per activation that a
 * QuantizeLinear quantizes, with the range its per-tensor scale covers on TensorRT's
 * symmetric grid (`127 * scale`), so that the cached scale is the Q/DQ scale and a model
 * quantized again from the cache gets the same scales.
 */
import { QtkError, type GivenRange, type Model } from '@qtk/core';
import { cacheFromCalibration, type CacheHeader } from './cache/fromCalibration.js';
import type { CalibrationCache } from './cache/calibrationCache.js';

/** Tensor → range of each activation QuantizeLinear of `model`'s main graph, in node order. */
export function activationRanges(model: Model): Map<string, GivenRange> {
  const g = model.graph;
  const out = new Map<string, GivenRange>();
  for (const n of g.nodes) {
    if (n.opType !== 'QuantizeLinear' || out.has(n.inputs[0]!)) continue;
    const scale = g.initializers.get(n.inputs[1] ?? '');
    if (!scale || scale.data.length !== 1) {
      throw new QtkError('E_GRAPH', `QuantizeLinear '${n.name}' has no per-tensor constant scale: TensorRT caches one scale per tensor`, { node: n.name, tensor: n.inputs[0]! });
    }
    const amax = 127 * Number(scale.data[0]);
    out.set(n.inputs[0]!, { min: -amax, max: amax });
  }
  return out;
}

/** The cache of `model`'s activation scales under `header` (see the module comment). */
export function cacheOfModel(model: Model, header: CacheHeader): CalibrationCache {
  return cacheFromCalibration(activationRanges(model), header);
}
