/**
 * Runs a reference and a candidate model on the same batches and accumulates the error
 * of tensor pairs. Each model runs once per batch, fetching every tensor it is asked
 * for at once; the fetched tensors are dropped as soon as the batch is folded in.
 */
import { QtkError } from '../errors/QtkError.js';
import type { Model } from '../ir/graph.js';
import type { Tensor } from '../ir/tensor.js';
import type { Executor, ExecutorSession } from '../exec/executor.js';
import type { Feeds } from '../pipeline/types.js';
import { samplesIn } from '../pipeline/feedSamples.js';
import { ArgmaxAgreement, ErrorAccumulator } from './errorStats.js';
import type { TensorPair } from './probes.js';
import { planSamples } from './samplePlan.js';
import { withSampleOutputs, type SampleRequest } from '../exec/sampleOutputs.js';

/** Options of `measureErrors`. */
export interface MeasureOptions {
  /** Stop after this many batches (default: all). */
  maxBatches?: number;
  /** Intra-op threads of both sessions (runtime default when omitted). */
  threads?: number;
  /** Called after each batch with the number done. */
  onBatch?: (done: number) => void;
  /**
   * Most elements per compared tensor and sample: larger tensors are compared on a
   * strided sample taken inside both models (`withSampleOutputs`, the same positions on
   * both sides), so their statistics are estimates and `elements` counts the sampled
   * values. Argmax pairs and graph inputs are always compared whole. 0 or absent: every
   * tensor whole.
   */
  sampleLimit?: number;
}

/** What `measureErrors` accumulates besides the errors of every pair. */
export interface MeasureExtras {
  /** Pairs (by index) whose argmax agreement along the last axis is counted too. */
  argmaxPairs?: ReadonlySet<number>;
}

/** Accumulated errors, one per pair (same order), and what was seen. */
export interface Measured {
  stats: ErrorAccumulator[];
  /** Argmax agreement of the pairs in `MeasureExtras.argmaxPairs` whose last axis has 2 or more entries. */
  argmax: Map<number, ArgmaxAgreement>;
  /** Pairs left out, by index, with the reason (a tensor that is not float32). */
  skipped: Map<number, string>;
  batches: number;
  samples: number;
}

/**
 * A session that fetches `names` (graph inputs are taken from the feeds instead), the
 * values in `samples` as samples.
 */
async function openSession(executor: Executor, model: Model, names: readonly string[], samples: ReadonlyMap<string, SampleRequest>, threads?: number): Promise<{ session: ExecutorSession; fetches: string[]; sampleOf: Map<string, string> }> {
  const inputs = new Set(model.graph.inputs.map((v) => v.name));
  const fetches = [...new Set(names)].filter((n) => !inputs.has(n));
  const sampled = withSampleOutputs(model, samples);
  const session = await executor.createSession(sampled.model, { extraOutputs: fetches, ...(threads !== undefined && { threads }) });
  return { session, fetches: [...fetches, ...sampled.names.values()], sampleOf: sampled.names };
}

function pick(out: Record<string, Tensor>, feeds: Feeds, name: string, side: string): Tensor {
  const t = out[name] ?? feeds[name];
  if (!t) throw new QtkError('E_EXECUTOR', `executor did not return tensor '${name}' of the ${side} model`, { tensor: name });
  return t;
}

/** Throws E_SHAPE naming the input when `feeds` are not shaped as `first` (samples are planned for its shapes). */
function sameInputShapes(first: Feeds, feeds: Feeds): void {
  for (const [k, t] of Object.entries(feeds)) {
    const want = first[k]?.dims;
    if (!want || want.length !== t.dims.length || want.some((d, i) => d !== t.dims[i])) {
      throw new QtkError('E_SHAPE', `input '${k}' has shape [${t.dims.join(', ')}] but the first batch's was [${want?.join(', ') ?? ''}]: a sampled comparison needs batches of one shape`, { tensor: k });
    }
  }
}

/** Runs both models over `batches` and returns the error statistics of each pair. */
export async function measureErrors(
  reference: Model,
  candidate: Model,
  executor: Executor,
  batches: Iterable<Feeds> | AsyncIterable<Feeds>,
  pairs: readonly TensorPair[],
  options: MeasureOptions = {},
  extras: MeasureExtras = {},
): Promise<Measured> {
  const stats = pairs.map(() => new ErrorAccumulator());
  const argmax = new Map<number, ArgmaxAgreement>();
  const skipped = new Map<number, string>();
  const it = (Symbol.asyncIterator in batches ? batches[Symbol.asyncIterator]() : batches[Symbol.iterator]()) as AsyncIterator<Feeds> | Iterator<Feeds>;
  let next = await it.next();
  if (next.done) throw new QtkError('E_CALIB_DATA', 'comparison data is empty: give at least one batch');
  const first = next.value;
  const plan = planSamples(reference, candidate, pairs, first, options.sampleLimit ?? 0, extras.argmaxPairs);
  const wholeOf = (side: 'reference' | 'candidate') => pairs.filter((_, i) => !plan.sampled.has(i)).map((p) => p[side]);
  const ref = await openSession(executor, reference, wholeOf('reference'), plan.reference, options.threads);
  let cand: Awaited<ReturnType<typeof openSession>> | undefined;
  let count = 0;
  let samples = 0;
  try {
    cand = await openSession(executor, candidate, wholeOf('candidate'), plan.candidate, options.threads);
    for (; !next.done; next = await it.next()) {
      const feeds = next.value;
      if (options.maxBatches !== undefined && count >= options.maxBatches) break;
      if (plan.sampled.size) sameInputShapes(first, feeds);
      const r = ref.fetches.length ? await ref.session.run(feeds, ref.fetches) : {};
      const c = cand.fetches.length ? await cand.session.run(feeds, cand.fetches) : {};
      pairs.forEach((p, i) => {
        if (skipped.has(i)) return;
        const sampled = plan.sampled.has(i);
        const x = pick(r, feeds, sampled ? ref.sampleOf.get(p.reference)! : p.reference, 'reference');
        const y = pick(c, feeds, sampled ? cand!.sampleOf.get(p.candidate)! : p.candidate, 'candidate');
        if (x.dtype !== 'float32' || y.dtype !== 'float32') {
          skipped.set(i, x.dtype !== 'float32' ? `${x.dtype} in the reference (not float32)` : `${y.dtype} in the candidate (not float32)`);
          return;
        }
        stats[i]!.add(x.data as Float32Array, y.data as Float32Array, p.reference);
        const last = x.dims.at(-1) ?? 1;
        if (extras.argmaxPairs?.has(i) && last >= 2) {
          let a = argmax.get(i);
          if (!a) argmax.set(i, (a = new ArgmaxAgreement()));
          a.add(x.data as Float32Array, y.data as Float32Array, last);
        }
      });
      count++;
      samples += samplesIn(feeds);
      options.onBatch?.(count);
    }
  } finally {
    await it.return?.();
    await ref.session.release();
    await cand?.session.release();
  }
  if (count === 0) throw new QtkError('E_CALIB_DATA', 'comparison data is empty: give at least one batch');
  return { stats, argmax, skipped, batches: count, samples };
}
