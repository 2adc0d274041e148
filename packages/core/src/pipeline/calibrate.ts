/**
 * Calibration: one executor run per batch fetches every observed tensor at once and
 * feeds the observers; activations are dropped right after, never accumulated. The
 * session's idle threads do not spin, so that observer updates between runs get the CPU.
 */
import { QtkError } from '../errors/QtkError.js';
import type { Model } from '../ir/graph.js';
import type { Executor } from '../exec/executor.js';
import type { Observer } from '../observers/observer.js';
import type { Feeds, Progress } from './types.js';

/**
 * Stages of static quantization that `QuantizeProfiler` times: preprocessing,
 * annotation, creating the session with the observed values as extra outputs, the
 * executor runs (outputs fetched included), observer updates, the observers' range
 * and scale searches, and conversion to QDQ.
 */
export type QuantizeStage = 'preprocess' | 'annotate' | 'session' | 'run' | 'observe' | 'range' | 'convert';

/**
 * Receives the milliseconds one stage took; called once per occurrence (`run` and
 * `observe` once per batch), so a caller sums what it needs. For benchmarks.
 */
export type QuantizeProfiler = (stage: QuantizeStage, ms: number) => void;

/** Result of a calibration pass. */
export interface CalibrationResult {
  batches: number;
  samples: number;
  /** Tensors that turned out not to be float32 (left float). */
  nonFloat: Map<string, string>;
}

/**
 * Runs the model on each batch and updates `observers` (tensor name → observer);
 * `profile`, when given, gets the 'session', 'run' and 'observe' times.
 */
export async function calibrate(
  model: Model,
  executor: Executor,
  batches: Iterable<Feeds> | AsyncIterable<Feeds>,
  observers: ReadonlyMap<string, Observer>,
  onProgress?: (p: Progress) => void,
  totalBatches?: number,
  profile?: QuantizeProfiler,
): Promise<CalibrationResult> {
  const names = [...observers.keys()];
  let t0 = performance.now();
  const session = await executor.createSession(model, { extraOutputs: names, spinning: false });
  profile?.('session', performance.now() - t0);
  const nonFloat = new Map<string, string>();
  let count = 0;
  let samples = 0;
  try {
    for await (const feeds of batches as AsyncIterable<Feeds>) {
      // Nothing to observe (no activation is quantized): the batches are only counted.
      t0 = performance.now();
      const out = names.length ? await session.run(feeds, names) : {};
      profile?.('run', performance.now() - t0);
      t0 = performance.now();
      for (const n of names) {
        const t = out[n];
        if (!t) throw new QtkError('E_EXECUTOR', `executor did not return tensor '${n}'`, { tensor: n });
        if (t.dtype !== 'float32') { nonFloat.set(n, t.dtype); continue; }
        observers.get(n)!.update(t);
      }
      profile?.('observe', performance.now() - t0);
      count++;
      const first = Object.values(feeds)[0];
      samples += first && first.dims.length ? first.dims[0]! : 1;
      onProgress?.({ phase: 'calibrate', done: count, total: totalBatches, samples });
    }
  } finally {
    await session.release();
  }
  if (count === 0) throw new QtkError('E_CALIB_DATA', 'calibration data is empty: static quantization needs at least one batch');
  return { batches: count, samples, nonFloat };
}
