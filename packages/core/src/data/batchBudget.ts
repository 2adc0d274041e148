/**
 * The calibration batch size chosen from memory: shape inference predicts the bytes of
 * every value one sample makes (inputs and activations, weights not counted), and the
 * batch is as many samples as fit a budget. A batch is one run of the model, and a
 * runtime may hold all of a run's values at once, so the budget bounds calibration's
 * activation memory whatever the model.
 *
 * Example: PP-OCRv4 rec makes about 200 MiB of values per 48x320 line, so a 256 MiB
 * budget gives batches of 1; the 8x8 digits CNN makes about 20 KiB and gets the cap, 32.
 */
import type { Model } from '../ir/graph.js';
import { byteLengthOf } from '../ir/dtype.js';
import { staticValueShapes } from '../shape/valueShapes.js';

/** Default activation memory of one calibration batch: 256 MiB. */
export const DEFAULT_BATCH_MEMORY_BYTES = 256 * 2 ** 20;
/** Largest batch chosen by memory: beyond it runs get no faster per sample. */
export const MAX_AUTO_BATCH_SIZE = 32;

/** Options of `chooseBatchSize`. */
export interface BatchBudgetOptions {
  /** Bytes one batch's values may take (default `DEFAULT_BATCH_MEMORY_BYTES`). */
  budgetBytes?: number;
  /** Largest batch size returned (default `MAX_AUTO_BATCH_SIZE`). */
  maxBatchSize?: number;
}

/** A batch size and why. */
export interface BatchSizeChoice {
  batchSize: number;
  /** Predicted bytes of one sample's values; undefined when shape inference could not tell. */
  bytesPerSample?: number;
  budgetBytes: number;
  /** Values whose size inference could not decide (not counted in `bytesPerSample`). */
  unsized: number;
}

/**
 * The largest batch (at least 1, at most `maxBatchSize`) whose predicted values fit
 * `budgetBytes`, for samples of the per-sample dims given per input name (each input
 * then has dims `[1, ...sample]` for one sample). When inference cannot size the model,
 * the answer is 1: the safe choice for memory.
 */
export function chooseBatchSize(model: Model, sampleDims: Readonly<Record<string, readonly number[]>>, options: BatchBudgetOptions = {}): BatchSizeChoice {
  const budgetBytes = options.budgetBytes ?? DEFAULT_BATCH_MEMORY_BYTES;
  const max = Math.max(1, options.maxBatchSize ?? MAX_AUTO_BATCH_SIZE);
  const one = Object.fromEntries(Object.entries(sampleDims).map(([k, d]) => [k, [1, ...d]]));
  const shapes = staticValueShapes(model, one);
  const g = model.graph;
  let bytes = 0;
  let sized = 0;
  let unsized = 0;
  const names = new Set([...g.inputs.map((v) => v.name), ...g.nodes.flatMap((n) => n.outputs)]);
  for (const n of names) {
    if (!n || g.initializers.has(n)) continue;
    const v = shapes.get(n);
    if (!v) { unsized++; continue; }
    bytes += byteLengthOf(v.dtype, v.shape.reduce((a, d) => a * d, 1));
    sized++;
  }
  if (!sized) return { batchSize: 1, budgetBytes, unsized };
  const batchSize = Math.max(1, Math.min(max, Math.floor(budgetBytes / Math.max(bytes, 1))));
  return { batchSize, bytesPerSample: bytes, budgetBytes, unsized };
}
