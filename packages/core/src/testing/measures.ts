/** Test helpers shared by suites: a runner on the executor under test and error measures. */
import { sqnrDb } from '../compare/errorStats.js';
import type { Executor } from '../exec/executor.js';
import type { Model } from '../ir/graph.js';
import type { Tensor } from '../ir/tensor.js';
import type { SuiteContext } from './context.js';
import { runOnce } from './session.js';

/** `run(model, feeds, unoptimized?)`: one run on the executor, or on its unoptimized form. */
export type SuiteRun = (m: Model, feeds: Record<string, Tensor>, unoptimized?: boolean) => Promise<Record<string, Tensor>>;

/** A `SuiteRun` over the executor of `s` (and its unoptimized form). */
export function suiteRunner(s: SuiteContext): SuiteRun {
  return (m, feeds, unoptimized = false) => runOnce(unoptimized ? s.unoptimized : s.executor, m, feeds);
}

/** Signal-to-quantization-noise ratio of `test` against `ref`, in dB. */
export function sqnrOf(ref: Float32Array, test: Float32Array): number {
  let p = 0, e = 0;
  for (let i = 0; i < ref.length; i++) { p += ref[i]! ** 2; e += (ref[i]! - test[i]!) ** 2; }
  return 10 * Math.log10(p / e);
}

/** Largest |a - b| over the largest |b|. */
export function relativeError(a: Float32Array, b: Float32Array): number {
  let d = 0, m = 0;
  for (let i = 0; i < b.length; i++) { d = Math.max(d, Math.abs(a[i]! - b[i]!)); m = Math.max(m, Math.abs(b[i]!)); }
  return d / m;
}

/**
 * SQNR in dB of `quantized`'s output `output` against `float`'s on `executor`, signal and
 * noise summed over all `batches` (one session per model for all of them).
 * Example: `await outputSqnr(ortNode, float, quantized, heldOut, 'logits')`.
 */
export async function outputSqnr(executor: Executor, float: Model, quantized: Model, batches: readonly Record<string, Tensor>[], output: string): Promise<number> {
  const a = await executor.createSession(float);
  const b = await executor.createSession(quantized);
  let signal = 0;
  let noise = 0;
  try {
    for (const feeds of batches) {
      const ref = (await a.run(feeds, [output]))[output]!.data as Float32Array;
      const got = (await b.run(feeds, [output]))[output]!.data as Float32Array;
      for (let i = 0; i < ref.length; i++) {
        signal += ref[i]! * ref[i]!;
        noise += (ref[i]! - got[i]!) ** 2;
      }
    }
  } finally {
    await a.release();
    await b.release();
  }
  return sqnrDb(signal, noise);
}
