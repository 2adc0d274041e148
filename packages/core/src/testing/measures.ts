/** Test helpers shared by suites: a runner on the executor under test and two error measures. */
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
