/**
 * SmoothQuant's activation statistics: per input channel (the last axis) the largest |x|
 * over every calibration sample, NNCF's abs-max reducer with a max aggregator.
 */
import { QtkError, type Executor, type Feeds, type Model } from '@qtk/core';
import { smoothGroups } from './targets.js';

/** Per activation value, max |x| of each channel (last axis) over the calibration data. */
export type SmoothQuantStats = ReadonlyMap<string, Float32Array>;

/**
 * Runs `model` on `executor` over `calibration` and returns, for the activation of every
 * smoothable MatMul group (see `smoothGroups`), the largest |x| of each channel.
 * Example: `const stats = await collectSmoothQuantStats(model, ortNode, batches)`.
 * Throws E_OPTION when the calibration data is empty.
 */
export async function collectSmoothQuantStats(model: Model, executor: Executor, calibration: Iterable<Feeds> | AsyncIterable<Feeds>): Promise<SmoothQuantStats> {
  const groups = smoothGroups(model);
  const out = new Map(groups.map((grp) => [grp.value, new Float32Array(grp.channels)]));
  if (!groups.length) return out;
  const values = groups.map((grp) => grp.value);
  const graphOutputs = new Set(model.graph.outputs.map((o) => o.name));
  const session = await executor.createSession(model, { extraOutputs: values.filter((v) => !graphOutputs.has(v)) });
  let samples = 0;
  try {
    for await (const feeds of calibration) {
      const got = await session.run(feeds, values);
      for (const [value, max] of out) accumulateAbsMax(max, got[value]?.data as Float32Array | undefined, value);
      samples++;
    }
  } finally {
    await session.release();
  }
  if (!samples) throw new QtkError('E_CALIB_DATA', 'SmoothQuant needs calibration data for its activation statistics: the calibration gave no batch');
  return out;
}

/** Raises each channel of `max` (channels on the last axis of `data`) to the largest |x| seen. */
function accumulateAbsMax(max: Float32Array, data: Float32Array | undefined, value: string): void {
  const c = max.length;
  if (!(data instanceof Float32Array) || data.length % c !== 0) {
    throw new QtkError('E_SHAPE', `SmoothQuant statistics: activation '${value}' is not float32 with ${c} channels on its last axis`, { tensor: value });
  }
  for (let i = 0; i < data.length; i++) {
    const a = Math.abs(data[i]!);
    if (a > max[i % c]!) max[i % c] = a;
  }
}
