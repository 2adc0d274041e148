/**
 * SmoothQuant as a step before quantization, with the backend's options: on for
 * `modelType: 'transformer'` (alpha 0.95, or `smoothQuantAlpha`), off otherwise, the ignored
 * scope's nodes left unsmoothed. The OpenVINO `quantize()` runs it first, as NNCF's pipeline does.
 */
import type { Executor, Feeds, Model } from '@qtk/core';
import { ignoredNodes } from '../ignoredScope/ignoredScope.js';
import { resolveOpenvinoOptions, type OpenvinoBackendOptions } from '../policy/backendOptions.js';
import { applySmoothQuant, type SmoothQuantResult } from './smoothQuant.js';
import { collectSmoothQuantStats } from './statistics.js';

/**
 * `model` smoothed as the backend options ask: statistics from `calibration` (read once here;
 * pass an array to use the same batches for calibration afterwards), then `applySmoothQuant`.
 * With SmoothQuant off, returns a copy with nothing smoothed and runs nothing.
 * Example: `const { model: smooth } = await smoothQuantFor(model, { modelType: 'transformer' }, ortNode, batches)`.
 */
export async function smoothQuantFor(model: Model, backendOptions: OpenvinoBackendOptions | undefined, executor: Executor, calibration: Iterable<Feeds> | AsyncIterable<Feeds>): Promise<SmoothQuantResult> {
  const options = resolveOpenvinoOptions(backendOptions);
  if (options.smoothQuantAlpha < 0) return applySmoothQuant(model, new Map(), { alpha: -1 });
  const skip = new Set(ignoredNodes(model.graph, options.ignoredScope).keys());
  const stats = await collectSmoothQuantStats(model, executor, calibration);
  return applySmoothQuant(model, stats, { alpha: options.smoothQuantAlpha, skip });
}
