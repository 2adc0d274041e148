/** Activation ranges from a calibration cache, for core's static pipeline (`QuantizeContext.ranges`). */
import type { GivenRange } from '@qtk/core';
import type { CalibrationCache } from './calibrationCache.js';

/**
 * The symmetric range `[-127 * scale, 127 * scale]` of each cached tensor, as TensorRT
 * reads a cache (the dynamic range is `127 * scale`), in cache order: pass it as
 * `ranges` to `quantizeModel` or `prepareStatic` to quantize from the cache without
 * calibration data. Core then checks it: a tensor the policy quantizes with no entry is
 * an E_OPTION error naming it, and entries naming tensors the model lacks are listed in
 * `report.warnings`. Entries whose scale is not finite or is negative (a NaN pattern in
 * the file) give a range core refuses by name when the tensor is quantized.
 * On TensorRT's int8 grid [-127, 127] the range gives back the cached scale exactly for
 * scales computed as amax / 127 in float32, as TensorRT's are.
 * Example: scale 0.0078125 gives `{ min: -0.9921875, max: 0.9921875 }`.
 */
export function rangesFromCache(cache: CalibrationCache): Map<string, GivenRange> {
  const out = new Map<string, GivenRange>();
  for (const [tensor, scale] of cache.scales) {
    const amax = 127 * scale;
    out.set(tensor, { min: -amax, max: amax });
  }
  return out;
}
