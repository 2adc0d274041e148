/**
 * The benchmark run: for each model, make every precision's variant once (quantizing
 * with qtk), then for each runtime create a session per variant, take quality figures,
 * and time the variants interleaved (A B A B ...) at batch 1 and at the other batch
 * sizes. Any failure (a model that will not load, a quantization error, a runtime that
 * is missing, a session or run that throws) becomes a failed cell with the reason, and
 * the rest of the table is still measured.
 */
import { QtkError, Tensor, type Executor, type ExecutorSession, type Model } from '@qtk/core';
import { inputDims, type Feeds } from './feeds.js';
import { describeMachine, type MachineInfo } from './machine.js';
import { sourceFeeds, type LabelledData, type ModelSource } from './modelSource.js';
import { makeVariant, parsePrecision, type PrecisionId, type Variant } from './precision.js';
import { accuracyOf, agreement, type Quality, type QualityDataKind } from './quality.js';
import type { BenchResult, Cell, FailedStage, ModelEntry, OkCell, RuntimeEntry, Throughput } from './result.js';
import type { RuntimePlugin } from './runtime.js';
import { interleave } from './schedule.js';
import { reluModel } from './tinyModel.js';
import { summarize } from './stats.js';

/** A step of the run, for progress displays. */
export interface BenchProgress {
  /** Steps done and in all: one per variant made and one per model × runtime timed. */
  done: number;
  total: number;
  /** What was just finished: `resnet18 int8-static quantized`, `resnet18 on onnxruntime-node timed`. */
  step: string;
}

/** Options of `runBench`. */
export interface BenchOptions {
  models: readonly ModelSource[];
  runtimes: readonly RuntimePlugin[];
  /** Precisions to compare (default fp32 and int8-static); SQNR and agreement need fp32 among them. */
  precisions?: readonly PrecisionId[];
  /** Timed batch-1 runs per variant (default 30). */
  iterations?: number;
  /** Untimed runs per variant after session creation (default 5). */
  warmup?: number;
  /** Batch sizes whose throughput is measured besides batch 1 (default none). */
  batchSizes?: readonly number[];
  /** Timed runs per variant at each of `batchSizes` (default: a third of `iterations`, at least 3). */
  throughputIterations?: number;
  /** Seeded random batch-1 inputs for agreement with FP32 when the model has neither labelled data nor samples (default 8). */
  qualityRows?: number;
  /** Executor running FP32 models during static calibration (default onnxruntime-node). */
  calibrationExecutor?: Executor;
  onProgress?: (p: BenchProgress) => void;
  /** The machine description (default: `describeMachine()`). */
  machine?: MachineInfo;
  /** Milliseconds clock (default `performance.now`). */
  now?: () => number;
}

const MiB = 2 ** 20;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function checkCount(name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min) throw new QtkError('E_OPTION', `${name} must be an integer ≥ ${min}, got ${v}`, { option: name });
  return v;
}

/** Peak resident set of this process so far, MiB. */
function peakRssMiB(): number {
  return Math.round((process.resourceUsage().maxRSS * 1024) / MiB);
}

/** Runs the benchmark; never throws for a failing model or runtime (see the failed cells). */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const startedAt = new Date().toISOString();
  const precisions = (options.precisions ?? ['fp32', 'int8-static']).map((p) => parsePrecision(p));
  if (precisions.length === 0) throw new QtkError('E_OPTION', 'no precision to benchmark', { option: 'precisions' });
  const names = new Set<string>();
  for (const r of options.runtimes) {
    if (names.has(r.name)) throw new QtkError('E_OPTION', `runtime '${r.name}' is listed twice; give each runtime a distinct name`, { option: 'runtimes' });
    names.add(r.name);
  }
  const cfg = {
    iterations: checkCount('iterations', options.iterations ?? 30, 1),
    warmup: checkCount('warmup', options.warmup ?? 5, 0),
    batchSizes: [...new Set(options.batchSizes ?? [])].map((b) => checkCount('batchSizes', b, 1)).filter((b) => b !== 1),
    qualityRows: checkCount('qualityRows', options.qualityRows ?? 8, 0),
    now: options.now ?? (() => performance.now()),
  };
  const throughputIterations = checkCount('throughputIterations', options.throughputIterations ?? Math.max(3, Math.round(cfg.iterations / 3)), 1);
  const machine = options.machine ?? describeMachine();
  const total = options.models.length * (precisions.length + options.runtimes.length);
  let done = 0;
  const progress = (step: string) => options.onProgress?.({ done: ++done, total, step });

  const runtimes = await Promise.all(options.runtimes.map(loadRuntime));
  const cells: Cell[] = [];
  const models: ModelEntry[] = [];
  let calibExecutor = options.calibrationExecutor;

  for (const source of options.models) {
    const entry: ModelEntry = { name: source.name, description: source.description, variants: [] };
    models.push(entry);
    let fp32: Model;
    try {
      fp32 = await source.load();
      entry.inputs = describeInputs(fp32, source);
    } catch (e) {
      entry.failed = message(e);
      for (const r of runtimes) for (const p of precisions) cells.push(failed(source.name, r.entry.name, p, 'model', `cannot load the model: ${entry.failed}`));
      done += precisions.length + runtimes.length;
      options.onProgress?.({ done, total, step: `${source.name} failed to load` });
      continue;
    }
    const variants = new Map<PrecisionId, Variant | { error: string }>();
    for (const p of precisions) {
      try {
        calibExecutor ??= (await import('@qtk/onnxruntime/node')).ortNode;
        const v = await makeVariant(p, fp32, source, calibExecutor);
        variants.set(p, v);
        entry.variants.push({ precision: p, bytes: v.bytes, quantizeSeconds: round(v.quantizeSeconds, 2), quantized: v.quantized, float: v.float });
      } catch (e) {
        variants.set(p, { error: message(e) });
        entry.variants.push({ precision: p, failed: message(e) });
      }
      progress(`${source.name} ${p} made`);
    }
    for (const r of runtimes) {
      try {
        cells.push(...(await measureModelOnRuntime(source, fp32, precisions, variants, r, cfg, throughputIterations)));
      } catch (e) {
        // A fault outside any one variant's steps: the model × runtime row fails, the run goes on.
        for (const p of precisions) cells.push(failed(source.name, r.entry.name, p, 'run', message(e)));
      }
      progress(`${source.name} on ${r.entry.name} timed`);
    }
  }
  return {
    schema: 'qtk-bench/1',
    startedAt,
    finishedAt: new Date().toISOString(),
    machine,
    settings: { iterations: cfg.iterations, warmup: cfg.warmup, batchSizes: [1, ...cfg.batchSizes], order: 'interleaved round-robin (A B A B ...)', precisions },
    runtimes: runtimes.map((r) => r.entry),
    models,
    cells,
  };
}

interface LoadedRuntime {
  plugin: RuntimePlugin;
  entry: RuntimeEntry;
  executor?: Executor;
}

async function loadRuntime(plugin: RuntimePlugin): Promise<LoadedRuntime> {
  const entry: RuntimeEntry = { name: plugin.name, description: plugin.description, settings: { ...plugin.settings } };
  try {
    entry.version = await plugin.version?.();
  } catch {
    entry.version = undefined;
  }
  try {
    const executor = await plugin.load();
    await prime(executor, plugin);
    return { plugin, entry, executor };
  } catch (e) {
    entry.failed = message(e);
    return { plugin, entry };
  }
}

/**
 * Creates, runs and releases one session of a one-node model, so that one-time set-up of
 * the runtime is not counted in the first variant's session time. A runtime that cannot
 * run even this is left to fail on the real models, with their own reasons.
 */
async function prime(executor: Executor, plugin: RuntimePlugin): Promise<void> {
  try {
    const s = await executor.createSession(reluModel(), plugin.sessionOptions);
    await s.run({ x: new Tensor('float32', new Float32Array(4), [1, 4]) });
    await s.release();
  } catch {
    // Not a failure of the benchmark: the real models report what goes wrong.
  }
}

function describeInputs(model: Model, source: ModelSource): string[] {
  return model.graph.inputs.filter((i) => !model.graph.initializers.has(i.name)).map((i) => {
    try {
      return `${i.name}: ${inputDims(model, i.name, 1, source.inputs?.[i.name], source.dims).join('x') || 'scalar'}`;
    } catch {
      return `${i.name}: ?`;
    }
  });
}

function failed(model: string, runtime: string, precision: PrecisionId, stage: FailedStage, reason: string, bytes?: number): Cell {
  return { status: 'failed', model, runtime, precision, stage, reason, ...(bytes !== undefined && { bytes }) };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

interface Live {
  variant: Variant;
  session: ExecutorSession;
  sessionMs: number;
  sessionRssMiB: number;
  samples: number[];
  throughput: Throughput[];
  quality?: Quality;
  qualityError?: string;
  error?: { stage: FailedStage; reason: string };
}

interface MeasureConfig {
  iterations: number;
  warmup: number;
  batchSizes: number[];
  qualityRows: number;
  now: () => number;
}

/** Times every variant of one model on one runtime. */
async function measureModelOnRuntime(
  source: ModelSource, fp32: Model, precisions: readonly PrecisionId[], variants: ReadonlyMap<PrecisionId, Variant | { error: string }>,
  runtime: LoadedRuntime, cfg: MeasureConfig, throughputIterations: number,
): Promise<Cell[]> {
  const rt = runtime.entry.name;
  const out = new Map<PrecisionId, Cell>();
  const live: Live[] = [];
  let feeds: Feeds | undefined;
  let feedError: string | undefined;
  try {
    feeds = sourceFeeds(source, fp32, 1, 1);
  } catch (e) {
    feedError = `cannot make inputs: ${message(e)}`;
  }
  for (const p of precisions) {
    const v = variants.get(p)!;
    if ('error' in v) { out.set(p, failed(source.name, rt, p, 'quantize', v.error)); continue; }
    if (!runtime.executor) { out.set(p, failed(source.name, rt, p, 'runtime', runtime.entry.failed ?? 'runtime unavailable', v.bytes)); continue; }
    if (!feeds) { out.set(p, failed(source.name, rt, p, 'run', feedError!, v.bytes)); continue; }
    const rss0 = process.memoryUsage().rss;
    const t0 = cfg.now();
    let session: ExecutorSession;
    try {
      session = await runtime.executor.createSession(v.model, runtime.plugin.sessionOptions);
    } catch (e) {
      out.set(p, failed(source.name, rt, p, 'session', message(e), v.bytes));
      continue;
    }
    const l: Live = { variant: v, session, sessionMs: cfg.now() - t0, sessionRssMiB: 0, samples: [], throughput: [] };
    try {
      for (let i = 0; i < cfg.warmup; i++) await session.run(feeds);
    } catch (e) {
      l.error = { stage: 'run', reason: message(e) };
    }
    l.sessionRssMiB = round((process.memoryUsage().rss - rss0) / MiB, 1);
    live.push(l);
  }

  await measureQuality(source, live, cfg.qualityRows, fp32);
  if (feeds) await timeInterleaved(live, feeds, cfg.iterations, cfg.now, (l, ms) => l.samples.push(ms));
  for (const b of cfg.batchSizes) {
    let fb: Feeds | undefined;
    let why = '';
    try { fb = sourceFeeds(source, fp32, b, 3); } catch (e) { why = message(e); }
    const ok = live.filter((l) => !l.error);
    const per = new Map<Live, number[]>(ok.map((l) => [l, []]));
    if (fb) {
      for (const l of ok) {
        try { await l.session.run(fb); } catch (e) { per.delete(l); l.throughput.push({ batch: b, failed: message(e) }); }
      }
      const batchLive = ok.filter((l) => per.has(l));
      await timeInterleaved(batchLive, fb, throughputIterations, cfg.now, (l, ms) => per.get(l)!.push(ms));
      for (const l of batchLive) {
        // A run failing at this batch size fails this throughput entry only, not the cell.
        if (l.error) { l.throughput.push({ batch: b, failed: l.error.reason }); l.error = undefined; continue; }
        const s = summarize(per.get(l)!);
        l.throughput.push({ batch: b, samplesPerSecond: round((b * 1000) / s.median, 2), latencyMs: s });
      }
    } else {
      for (const l of ok) l.throughput.push({ batch: b, failed: why });
    }
  }
  for (const l of live) {
    const p = l.variant.precision;
    if (l.error || l.samples.length === 0) {
      out.set(p, failed(source.name, rt, p, l.error?.stage ?? 'run', l.error?.reason ?? 'no timed run completed', l.variant.bytes));
    } else {
      const latency = summarize(l.samples);
      const cell: OkCell = {
        status: 'ok', model: source.name, runtime: rt, precision: p, bytes: l.variant.bytes, sessionMs: round(l.sessionMs, 2),
        latencyMs: latency, samplesMs: l.samples.map((x) => round(x, 3)),
        throughput: [{ batch: 1, samplesPerSecond: round(1000 / latency.median, 2), latencyMs: latency }, ...l.throughput],
        sessionRssMiB: l.sessionRssMiB, peakRssMiB: peakRssMiB(),
        ...(l.quality && { quality: l.quality }), ...(l.qualityError && { qualityError: l.qualityError }),
      };
      out.set(p, cell);
    }
    try { await l.session.release(); } catch { /* a failed release leaves nothing to report */ }
  }
  return precisions.map((p) => out.get(p)!);
}

/**
 * Runs the live, healthy variants round-robin for `rounds` rounds, timing each run. A
 * variant whose run throws is marked failed and left out of later rounds.
 */
export async function timeInterleaved<T extends { session: ExecutorSession; error?: { stage: FailedStage; reason: string } }>(
  live: readonly T[], feeds: Feeds, rounds: number, now: () => number, record: (l: T, ms: number) => void,
): Promise<void> {
  const healthy = live.filter((l) => !l.error);
  for (const { variant } of interleave(healthy.length, rounds)) {
    const l = healthy[variant]!;
    if (l.error) continue;
    const t0 = now();
    try {
      await l.session.run(feeds);
    } catch (e) {
      l.error = { stage: 'run', reason: message(e) };
      continue;
    }
    record(l, now() - t0);
  }
}

/** Outputs of a session on each batch of feeds: the named output, or the first. */
async function outputsOf(session: ExecutorSession, batches: readonly Feeds[], output?: string): Promise<Tensor[]> {
  const name = output ?? session.outputNames[0];
  if (!name) throw new QtkError('E_GRAPH', 'the model has no output');
  const res: Tensor[] = [];
  for (const f of batches) res.push((await session.run(f, [name]))[name]!);
  return res;
}

/** The batches quality is measured on, and what they are: labelled data, else the source's samples, else `rows` seeded random inputs. */
async function qualityData(source: ModelSource, rows: number, fp32: Model): Promise<{ labelled?: LabelledData; batches: Feeds[]; data: string; dataKind: QualityDataKind }> {
  const labelled = await source.labelled?.();
  if (labelled) return { labelled, batches: labelled.batches.map((b) => b.feeds), data: labelled.description ?? 'labelled data', dataKind: 'labelled' };
  const samples = await source.samples?.(fp32);
  if (samples) return { batches: samples.batches, data: samples.description, dataKind: 'samples' };
  const batches = Array.from({ length: rows }, (_, i) => sourceFeeds(source, fp32, 1, 2000 + i));
  return { batches, data: `${rows} seeded random inputs (uniform noise, not real data)`, dataKind: 'random' };
}

/** Accuracy (labelled data) and agreement with FP32 of every healthy variant. */
async function measureQuality(source: ModelSource, live: Live[], rows: number, fp32: Model): Promise<void> {
  const healthy = live.filter((l) => !l.error);
  if (healthy.length === 0) return;
  let labelled: LabelledData | undefined;
  let batches: Feeds[];
  let data: string;
  let dataKind: QualityDataKind;
  try {
    ({ labelled, batches, data, dataKind } = await qualityData(source, rows, fp32));
  } catch (e) {
    for (const l of healthy) l.qualityError = `no quality data: ${message(e)}`;
    return;
  }
  if (batches.length === 0) return;
  const outputs = new Map<Live, Tensor[]>();
  for (const l of healthy) {
    try {
      outputs.set(l, await outputsOf(l.session, batches, labelled?.output));
    } catch (e) {
      l.qualityError = message(e);
    }
  }
  const ref = healthy.find((l) => l.variant.precision === 'fp32');
  const refOut = ref && outputs.get(ref);
  for (const [l, outs] of outputs) {
    try {
      const q: Quality = { rows: 0, data, dataKind };
      if (labelled) Object.assign(q, accuracyOf(outs, labelled.batches.map((b) => b.labels)));
      if (refOut) {
        const a = agreement(refOut, outs);
        q.top1Agreement = a.top1Agreement;
        q.sqnrDb = a.sqnrDb;
        q.rows = a.rows;
      }
      if (q.accuracy === undefined && q.sqnrDb === undefined) l.qualityError = 'no labelled data and no fp32 variant to compare with';
      else l.quality = q;
    } catch (e) {
      l.qualityError = message(e);
    }
  }
}
