/**
 * Calibration samples for several model inputs at once, split into batches that line
 * up: batch k of every input holds the same sample rows. Each input is checked and split
 * by `batchSamples`; this module only makes them agree on the batch size and the count.
 *
 * Example: `input_ids` [6, 4] int64 and `attention_mask` [6, 4] int64 for inputs of
 * shape [N, 4] with batchSize 4 give two feeds, rows 0..3 and rows 4..5 of both.
 */
import { QtkError } from '../errors/QtkError.js';
import type { ValueInfo } from '../ir/graph.js';
import type { Tensor } from '../ir/tensor.js';
import type { Feeds } from '../pipeline/types.js';
import { batchSamples, formatDims, type BatchOptions, type Batches } from './batching.js';

/** One model input and the samples ([N, ...sample]) that feed it. */
export interface InputSamples {
  input: ValueInfo;
  data: Tensor;
}

/** Samples of several inputs split into batches, one Feeds per batch. */
export interface InputBatches extends Omit<Batches, 'input' | 'batches'> {
  /** Input names the feeds hold, in the order given. */
  inputs: string[];
  /** Feed k holds rows of batch k for every input; all but the last have `batchSize` rows. */
  batches: Feeds[];
}

/**
 * The number of samples (axis 0) the arrays share; E_CALIB_DATA naming every array and
 * its count when they differ, or when one has no sample axis.
 */
export function sharedSampleCount(arrays: Readonly<Record<string, Tensor>>): number {
  const entries = Object.entries(arrays);
  if (entries.length === 0) throw new QtkError('E_CALIB_DATA', 'no calibration arrays given');
  const scalar = entries.find(([, t]) => t.dims.length === 0);
  if (scalar) throw new QtkError('E_CALIB_DATA', `calibration data for '${scalar[0]}' is a scalar; it needs a leading sample axis`, { tensor: scalar[0] });
  const counts = entries.map(([name, t]) => [name, t.dims[0]!] as const);
  if (counts.some(([, n]) => n !== counts[0]![1])) {
    throw new QtkError(
      'E_CALIB_DATA',
      `calibration arrays must hold the same number of samples (axis 0): ${counts.map(([name, n]) => `'${name}' ${n}`).join(', ')}`,
      { tensor: counts.find(([, n]) => n !== counts[0]![1])![0] },
    );
  }
  return counts[0]![1];
}

/**
 * Checks each input's samples with `batchSamples` and splits them all the same way.
 * Every array must hold the same number of samples; an input whose batch dim is fixed
 * sets the batch size for all (two inputs fixing different batch dims is E_CALIB_DATA).
 * `options` are those of `batchSamples`.
 */
export function batchInputs(fed: readonly InputSamples[], options: BatchOptions = {}): InputBatches {
  sharedSampleCount(Object.fromEntries(fed.map((f) => [f.input.name, f.data])));
  const fixedDim = (f: InputSamples) => {
    const t = f.input.type;
    return t?.kind === 'tensor' && typeof t.shape?.[0] === 'number' ? t.shape[0] : undefined;
  };
  const fixed = fed.filter((f) => fixedDim(f) !== undefined);
  if (new Set(fixed.map(fixedDim)).size > 1) {
    const shapes = fixed.map((f) => `'${f.input.name}' ${formatDims(f.input.type?.kind === 'tensor' ? f.input.type.shape : undefined)}`);
    throw new QtkError('E_CALIB_DATA', `model inputs fix different batch dims (${shapes.join(', ')}); calibration cannot feed them batches of the same rows`, { tensor: fixed[1]!.input.name });
  }
  // The input that fixes the batch dim (if any) decides the batch size and the rows used; the rest follow it.
  const lead = fixed[0] ?? fed[0]!;
  const first = batchSamples(lead.data, lead.input, options);
  const split = new Map(fed.map((f) => [f, f === lead ? first : batchSamples(f.data, f.input, { batchSize: first.batchSize, maxSamples: first.samples })]));
  const batches = first.batches.map((_, k) => Object.fromEntries(fed.map((f) => [f.input.name, split.get(f)!.batches[k]!])));
  return { inputs: fed.map((f) => f.input.name), batches, batchSize: first.batchSize, samples: first.samples, dropped: first.dropped };
}
