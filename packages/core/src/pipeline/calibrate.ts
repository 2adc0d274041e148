/**
 * Calibration: one executor run per batch fetches every observed tensor (or its
 * in-model reductions) at once and feeds the observers; activations are dropped right after, never accumulated. The
 * session's idle threads do not spin, so that observer updates between runs get the CPU.
 */
import { QtkError } from '../errors/QtkError.js';
import type { Model } from '../ir/graph.js';
import type { Executor, ExecutorSession } from '../exec/executor.js';
import type { Observer, ReducedBatch } from '../observers/observer.js';
import { Tensor } from '../ir/tensor.js';
import { defaultDomainOpset } from '../convert/qdqOps.js';
import { REDUCTION_MIN_OPSET, sampleStride, withReductionOutputs, type ReductionNames, type ReductionRequest } from '../exec/reductionOutputs.js';
import { staticValueShapes, type StaticValue } from '../shape/valueShapes.js';
import type { Feeds, Progress } from './types.js';
import { samplesIn } from './feedSamples.js';

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

/** What `calibrate` runs on, what it feeds, and how it reads values out of the runtime. */
export interface CalibrateOptions {
  /** The float model (with any extra outputs the caller added, e.g. channel means). */
  model: Model;
  /** Runs the model. */
  executor: Executor;
  /** Calibration batches, consumed once. */
  batches: Iterable<Feeds> | AsyncIterable<Feeds>;
  /** Tensor name → the observer that sees its values. */
  observers: ReadonlyMap<string, Observer>;
  /** Called after each batch (`phase: 'calibrate'`). */
  onProgress?: (p: Progress) => void;
  /** Expected number of batches, for progress display. */
  totalBatches?: number;
  /** Gets the 'session', 'run' and 'observe' times. */
  profile?: QuantizeProfiler;
  /**
   * Most values per observed value and calibration sample that sampling observers
   * (histograms) get: larger values are sampled inside the model at a stride
   * (`sampleStride`) chosen for the first batch's sample count, so a batch of 32 samples
   * gets 32 times the values of a batch of one and the ranges do not depend on how the
   * data is batched. 0 (the default) gives them whole tensors. Extremes observers
   * (per-tensor MinMax) get in-model min/max whenever this is not 0.
   */
  sampleLimit?: number;
}

/**
 * Runs `model` on each batch and updates `observers` (tensor name → observer);
 * `profile`, when given, gets the 'session', 'run' and 'observe' times.
 *
 * Observers that can work from reductions (`Observer.reduction`) of float values get
 * them computed inside the model (`withReductionOutputs`), so only extremes and samples
 * leave the runtime; the others get whole tensors. Sample strides follow from the
 * value shapes that shape inference gives for the first batch's input shapes (values
 * of unknown size are fetched whole). A batch whose extremes are not finite is run
 * again on the plain model for those values, whose observers then see the whole
 * tensor and skip NaN/±Infinity as usual. A runtime that cannot run the reductions
 * gets the plain model with whole tensors fetched.
 */
export async function calibrate(options: CalibrateOptions): Promise<CalibrationResult> {
  const { model, executor, batches, observers, onProgress, totalBatches, profile } = options;
  const names = [...observers.keys()];
  const it = (Symbol.asyncIterator in batches ? batches[Symbol.asyncIterator]() : (batches as Iterable<Feeds>)[Symbol.iterator]()) as AsyncIterator<Feeds> | Iterator<Feeds>;
  let next = await it.next();
  if (next.done) throw new QtkError('E_CALIB_DATA', 'calibration data is empty: static quantization needs at least one batch');
  let t0 = performance.now();
  const { session, reduced, phase } = await openSession(model, executor, observers, options.sampleLimit ?? 0, next.value);
  profile?.('session', performance.now() - t0);
  const whole = names.filter((n) => !reduced.has(n));
  const fetches = [...whole, ...[...reduced.values()].flatMap((r) => [r.min, r.max, r.sample].filter((o): o is string => !!o))];
  // For batches whose reduced extremes are not finite: the plain model, opened when first needed.
  let plain: ExecutorSession | undefined;
  const nonFloat = new Map<string, string>();
  let count = 0;
  let samples = 0;
  /** Feeds the whole tensors `list` of `res` to their observers (non-float ones are recorded). */
  const observeWhole = (res: Record<string, Tensor>, list: readonly string[]) => {
    for (const n of list) {
      const t = res[n];
      if (!t) throw new QtkError('E_EXECUTOR', `executor did not return tensor '${n}'`, { tensor: n });
      if (t.dtype !== 'float32') { nonFloat.set(n, t.dtype); continue; }
      observers.get(n)!.update(t);
    }
  };
  try {
    for (; !next.done; next = await it.next()) {
      const feeds = next.value;
      // Nothing to observe (no activation is quantized): the batches are only counted.
      t0 = performance.now();
      // Samples start at a different element each batch (see withReductionOutputs).
      const runFeeds = phase ? { ...feeds, [phase]: Tensor.int64([count]) } : feeds;
      const out = fetches.length ? await session.run(runFeeds, fetches) : {};
      profile?.('run', performance.now() - t0);
      t0 = performance.now();
      observeWhole(out, whole);
      const again: string[] = [];
      for (const [n, r] of reduced) {
        const batch = reducedBatch(out, r, n);
        if (!batch) again.push(n);
        else observers.get(n)!.updateReduced!(batch);
      }
      profile?.('observe', performance.now() - t0);
      if (again.length) {
        plain ??= await executor.createSession(model, { extraOutputs: names, spinning: false, lowMemory: true });
        observeWhole(await plain.run(feeds, again), again);
      }
      count++;
      samples += samplesIn(feeds);
      onProgress?.({ phase: 'calibrate', done: count, total: totalBatches, samples });
    }
  } finally {
    await session.release();
    await plain?.release();
  }
  return { batches: count, samples, nonFloat };
}

/**
 * The calibration session: values whose observers take reductions (float32 by the
 * model's type information) get reduction outputs, the other observed values are
 * extra outputs. Falls back to the plain model with every observed value as an extra
 * output when the runtime rejects the reductions.
 */
async function openSession(model: Model, executor: Executor, observers: ReadonlyMap<string, Observer>, sampleLimit: number, first: Feeds) {
  const names = [...observers.keys()];
  const requests = new Map<string, ReductionRequest>();
  if (sampleLimit > 0 && defaultDomainOpset(model) >= REDUCTION_MIN_OPSET) {
    const g = model.graph;
    const inputs = new Map(g.inputs.map((v) => [v.name, v]));
    let shapes: Map<string, StaticValue> | undefined;
    for (const [n, obs] of observers) {
      const type = (g.valueInfo.get(n) ?? inputs.get(n))?.type;
      if (!obs.reduction || !obs.updateReduced || type?.kind !== 'tensor' || type.dtype !== 'float32') continue;
      if (!obs.reduction.sample) { requests.set(n, { extremes: true }); continue; }
      shapes ??= staticValueShapes(model, Object.fromEntries(Object.entries(first).map(([k, t]) => [k, t.dims])));
      const shape = shapes.get(n)?.shape;
      const stride = shape ? sampleStride(shape.reduce((a, d) => a * d, 1), sampleLimit * samplesIn(first), shape) : 1;
      if (stride > 1) requests.set(n, { stride, shape: shape! });
    }
  }
  if (requests.size) {
    const r = withReductionOutputs(model, requests);
    try {
      const whole = names.filter((n) => !requests.has(n));
      return { session: await executor.createSession(r.model, { extraOutputs: whole, spinning: false, lowMemory: true }), reduced: r.names, phase: r.phase };
    } catch {
      // The runtime cannot run the reductions: whole tensors below.
    }
  }
  return { session: await executor.createSession(model, { extraOutputs: names, spinning: false, lowMemory: true }), reduced: new Map<string, ReductionNames>(), phase: undefined };
}

/** One value's reductions from a run, or undefined when its extremes are not finite. */
function reducedBatch(out: Record<string, Tensor>, r: ReductionNames, name: string): ReducedBatch | undefined {
  const get = (o: string) => {
    const t = out[o];
    if (!t) throw new QtkError('E_EXECUTOR', `executor did not return reduction '${o}' of '${name}'`, { tensor: name });
    return t;
  };
  const batch: ReducedBatch = {};
  if (r.min && r.max) {
    batch.min = get(r.min).get(0); batch.max = get(r.max).get(0);
    if (!Number.isFinite(batch.min) || !Number.isFinite(batch.max)) return undefined;
  }
  if (r.sample) {
    batch.sample = get(r.sample).data as Float32Array;
    batch.stride = r.stride;
  }
  return batch;
}
