/**
 * The quantization pipeline: preprocess → annotate → calibrate → convert, then (with
 * `minOutputSqnrDb`) the mixed-precision search. Static quantization runs in two
 * phases so that calibration runs once and conversion can be repeated: `prepareStatic`
 * (preprocess, annotate, calibrate) gives a state, `convertStatic(state, keepFloat)`
 * gives a model with the named nodes left float. The input model is never changed.
 */
import { QtkError } from '../errors/QtkError.js';
import type { Model, Node } from '../ir/graph.js';
import { GraphIndex } from '../ir/graphIndex.js';
import { graphScopes, scopeField } from '../ir/scopes.js';
import { cloneModel } from '../transforms/clone.js';
import { preprocess } from '../transforms/preprocess.js';
import { annotateGraph } from '../annotate/annotate.js';
import { writeQdq } from '../convert/qdq.js';
import type { FormatWriter, QuantWriters } from '../convert/writers.js';
import { planQuantization } from '../plan/planQuantization.js';
import { resolveWeight, weightName } from '../opContracts/weights.js';
import type { QuantPlan } from '../plan/quantPlan.js';
import type { QParams } from '../quant/tensorQParams.js';
import { convertDynamic, DYNAMIC_OP_TYPES } from '../convert/dynamic.js';
import { convertWeightOnly, WEIGHT_ONLY_OP_TYPES } from '../convert/weightOnly/index.js';
import { checkSelection } from '../annotate/selection.js';
import type { BackendPlugin } from '../backend/backend.js';
import { prepareContextFor } from '../backend/prepareContext.js';
import { backendDefaults, checkBackendResult, resolveBackend } from '../backend/resolveBackend.js';
import type { Registry } from '../registry/registry.js';
import { quantSpec, PER_TENSOR, type QuantSpec } from '../spec/quantSpec.js';
import { createObserver } from '../observers/create.js';
import { bitsOf } from '../ir/dtype.js';
import type { Observer, ObservedQParams, ObservedRange } from '../observers/observer.js';
import { calibrate, type QuantizeProfiler } from './calibrate.js';
import { observerForMethod, resolveOptions } from './defaults.js';
import { MIXED_PRECISION_BATCHES, searchMixedPrecision, type QuantizedUnit } from './mixedPrecision.js';
import { biasTargets, correctBiases, withChannelMeanOutputs } from './biasCorrection.js';
import { ChannelMeanObserver } from '../observers/channelMean.js';
import { checkOptionScopes } from './optionScopes.js';
import type { StaticConversion, StaticState } from './staticState.js';
import type { Feeds, FloatNode, OnePassResult, QuantizeContext, QuantizeOptions, QuantizeReport, QuantizeWarning, ResolvedOptions } from './types.js';
import type { ResolvedDynamicOptions, ResolvedStaticOptions, ResolvedWeightOnlyOptions } from './types.js';

/** A quantization context with the backend to quantize for; it may also time the stages of static quantization. */
export interface ProfiledQuantizeContext<B extends object = {}> extends QuantizeContext {
  /**
   * The backend whose placement policy, defaults, graph preparation and formats apply: a
   * backend plugin object, or its name in `registry`. Required.
   */
  backend?: BackendPlugin<B> | string;
  /** Where a backend given by name is looked up (default: `defaultRegistry`). */
  registry?: Registry;
  /** Called with each stage's milliseconds (see `QuantizeStage`); for benchmarks. */
  profile?: QuantizeProfiler;
  /**
   * Writers that replace the backend's, field by field (Q/DQ dialect, other formats,
   * weight-only and dynamic forms); core's standard writers fill what neither gives.
   */
  writers?: QuantWriters;
}

/** What static quantization knows after calibration (defined in staticState.ts). */
export type { StaticConversion, StaticState } from './staticState.js';

/** Extra work `prepareStatic` may do for later conversions. */
export interface PrepareOptions {
  /** Keep the first this many calibration batches in the state (default 0). */
  keepBatches?: number;
  /**
   * Also observe every float value a quantizable node reads or writes, so that any
   * set of float-kept nodes can be converted without calibrating again (default false).
   */
  observeAll?: boolean;
}

/** Op types whose weights static mode splits into blocks along the reduction axis (`blockSize`). */
const BLOCKED_WEIGHT_OPS: readonly string[] = ['Conv', 'MatMul', 'Gemm'];

/** Why static mode leaves the nodes of If/Loop/Scan bodies float (listed in the report, never silent). */
export const STATIC_BODY_REASON = 'inside an If/Loop/Scan body: static mode does not calibrate subgraphs yet (dynamic and weight-only modes quantize their weights)';

/**
 * Quantizes a model for `ctx.backend` (an object, or a name in `ctx.registry`; without one,
 * an E_OPTION error); static mode needs `ctx.executor` and `ctx.calibration`. Options that
 * would have no effect in the chosen mode or method (see OPTION_SCOPES), a format the backend
 * does not offer and an `opTypes` that selects nothing are E_OPTION errors; exclude entries
 * or op types that match nothing are listed in `report.warnings`. A result the backend's
 * `validate` finds problems in is an E_UNSUPPORTED error.
 */
export async function quantizeModel<B extends object = {}>(input: Model, typedOptions: QuantizeOptions<B> = {}, typedCtx: ProfiledQuantizeContext<B> = {}): Promise<{ model: Model; report: QuantizeReport }> {
  const t0 = performance.now();
  // Past this point the backend's option type `B` has done its work (checking the caller).
  const options = typedOptions as unknown as QuantizeOptions;
  const ctx = typedCtx as unknown as ProfiledQuantizeContext;
  const backend = resolveBackend(ctx.backend, ctx.registry);
  const opts = resolveOptions(options, backendDefaults(backend, options.backendOptions));
  checkOptionScopes(options, opts);
  const withWriters = { ...ctx, writers: writersFor(backend, ctx.writers) };
  const result = opts.mode === 'dynamic' ? quantizeDynamic(input, opts, withWriters, t0)
    : opts.mode === 'weight-only' ? quantizeWeightOnly(input, opts, withWriters, t0)
    : await quantizeStatic(input, opts, { ...ctx, backend }, t0);
  checkBackendResult(backend, result.model);
  return result;
}

/** Static mode: prepare, calibrate, convert, then the mixed-precision search when asked for. */
async function quantizeStatic(input: Model, opts: ResolvedStaticOptions, ctx: ProfiledQuantizeContext, t0: number): Promise<{ model: Model; report: QuantizeReport }> {
  const mixed = opts.minOutputSqnrDb !== undefined;
  const state = await prepareStatic(input, opts, ctx, mixed ? { keepBatches: MIXED_PRECISION_BATCHES, observeAll: true } : {});
  const formatWriter = opts.format === 'qdq' ? undefined : formatWriterFor(opts.format, state.writers);
  ctx.onProgress?.({ phase: 'convert', done: 0, total: 1 });
  const tc = performance.now();
  let result = convertStatic(state);
  ctx.profile?.('convert', performance.now() - tc);
  ctx.onProgress?.({ phase: 'convert', done: 1, total: 1 });
  const report: QuantizeReport = { mode: opts.mode, options: opts, quantized: [], float: [], warnings: [...state.warnings], zeroRange: [], seconds: 0 };
  if (mixed) {
    const search = await searchMixedPrecision(state, result, (keep, reason) => convertStatic(state, keep, reason), ctx.executor!, opts.minOutputSqnrDb!, ctx.onProgress);
    result = search.conversion;
    report.mixedPrecision = search.report;
  }
  if (formatWriter) report.qoperator = formatWriter.write(result.model, result.plan);
  report.quantized = result.quantized;
  report.float = result.float;
  report.zeroRange = result.zeroRange;
  report.calibration = state.calibration;
  report.seconds = (performance.now() - t0) / 1000;
  return { model: result.model, report };
}

/** The backend's writers with `override`'s fields in their place. */
function writersFor(backend: BackendPlugin, override: QuantWriters | undefined): QuantWriters {
  return { ...backend.writers, ...override };
}

/** The writer of `format` among `writers`; E_OPTION (before calibration) when none is given. */
function formatWriterFor(format: string, writers: QuantWriters | undefined): FormatWriter {
  const w = writers?.formats?.find((f) => f.format === format);
  if (w) return w;
  const offered = writers?.formats?.map((f) => f.format) ?? [];
  throw new QtkError('E_OPTION', `option format='${format}': the backend writes qdq${offered.length ? `, ${offered.join(', ')}` : ''} only`, { option: 'format' });
}

/** A preprocessed copy of `input` (when the options ask for it) and its declared value_info. */
function preprocessed(input: Model, opts: ResolvedOptions, ctx: ProfiledQuantizeContext): { model: Model; declaredInfo: Set<string> } {
  const t0 = performance.now();
  const model = cloneModel(input);
  const declaredInfo = new Set(input.graph.valueInfo.keys());
  if (opts.preprocess) {
    ctx.onProgress?.({ phase: 'preprocess', done: 0, total: 1 });
    preprocess(model, ctx.maxTensorBytes === undefined ? {} : { maxTensorBytes: ctx.maxTensorBytes });
    ctx.onProgress?.({ phase: 'preprocess', done: 1, total: 1 });
  }
  ctx.profile?.('preprocess', performance.now() - t0);
  return { model, declaredInfo };
}

/** Weight-only mode: 4-bit or 8-bit weights (MatMulNBits, GatherBlockQuantized, blocked DQ, codebooks), float activations. */
function quantizeWeightOnly(input: Model, opts: ResolvedWeightOnlyOptions, ctx: ProfiledQuantizeContext, t0: number): { model: Model; report: QuantizeReport } {
  const t = opts.weightType;
  if (t !== 'int4' && t !== 'uint4' && t !== 'int8' && t !== 'uint8') {
    throw new QtkError('E_OPTION', `weight-only mode takes weightType int4, uint4, int8 or uint8, not '${t}'`, { option: 'weightType' });
  }
  if (opts.blockSize === 0 && opts.weightScheme === 'uniform') {
    throw new QtkError('E_OPTION', 'option blockSize=0 (no blocks) does not apply to weight-only mode, which always quantizes weights in blocks: give a power of two ≥ 16 (default 32)', { option: 'blockSize' });
  }
  const { model, declaredInfo } = preprocessed(input, opts, ctx);
  const warnings = checkSelection(model.graph, opts, { mode: 'weight-only', opTypes: WEIGHT_ONLY_OP_TYPES });
  const before = scopedNodes(model);
  const r = convertWeightOnly(model, {
    weightType: t, blockSize: opts.blockSize, symmetric: opts.symmetricWeights, scheme: opts.weightScheme,
    codebookSize: opts.codebookSize === 16 ? 16 : 256, opTypes: opts.opTypes, exclude: opts.exclude,
  }, ctx.writers?.weightOnly);
  dropInferredValueInfo(model, declaredInfo);
  return { model, report: onePassReport(opts, before, r, 'weight-only mode quantizes MatMul, Gemm, Gather and Conv weights', warnings, t0) };
}

/** Dynamic mode: weights quantized ahead of time, activations at run time. */
function quantizeDynamic(input: Model, opts: ResolvedDynamicOptions, ctx: ProfiledQuantizeContext, t0: number): { model: Model; report: QuantizeReport } {
  if (opts.weightType !== 'int8' && opts.weightType !== 'uint8') {
    throw new QtkError('E_OPTION', `dynamic mode takes weightType int8 or uint8, not '${opts.weightType}'`, { option: 'weightType' });
  }
  const weightType = opts.weightType;
  const { model, declaredInfo } = preprocessed(input, opts, ctx);
  const warnings = checkSelection(model.graph, opts, { mode: 'dynamic', opTypes: DYNAMIC_OP_TYPES });
  const before = scopedNodes(model);
  const r = convertDynamic(model, { perChannel: opts.perChannel, weightType, opTypes: opts.opTypes, exclude: opts.exclude }, ctx.writers?.dynamic);
  dropInferredValueInfo(model, declaredInfo);
  return { model, report: onePassReport(opts, before, r, 'dynamic mode quantizes MatMul, Gemm and Conv only', warnings, t0) };
}

/** Every node of every graph (bodies included) with its report `graph` field. */
function scopedNodes(model: Model): Array<{ node: Node; at: { graph?: string } }> {
  return graphScopes(model).flatMap((s) => s.graph.nodes.map((node) => ({ node, at: scopeField(s) })));
}

/** A key that tells nodes apart across graphs. */
const nodeKey = (n: { name: string; graph?: string }): string => `${n.graph ?? ''}\u0000${n.name}`;

/**
 * The report of a mode that converts in one pass (dynamic, weight-only): what the converter
 * quantized or refused, and every other node of `before` (all graphs) listed as float with `reason`.
 */
function onePassReport(
  opts: ResolvedOptions, before: ReturnType<typeof scopedNodes>, r: OnePassResult, reason: string,
  warnings: QuantizeWarning[], t0: number,
): QuantizeReport {
  const handled = new Set([...r.quantized, ...r.float].map(nodeKey));
  const untouched = before
    .filter(({ node, at }) => node.opType !== 'Constant' && !handled.has(nodeKey({ name: node.name, ...at })))
    .map(({ node, at }) => ({ name: node.name, opType: node.opType, reason, ...at }));
  return {
    mode: opts.mode, options: opts, quantized: r.quantized.map((n) => ({ ...n })), float: r.float.concat(untouched),
    warnings, zeroRange: [], seconds: (performance.now() - t0) / 1000,
  };
}

/** Activation and weight specs of static mode. */
function staticSpecs(opts: ResolvedStaticOptions): { activationSpec: QuantSpec; weightSpec: QuantSpec } {
  const observer = observerForMethod(opts, bitsOf(opts.activationType));
  return {
    activationSpec: quantSpec({ dtype: opts.activationType, symmetric: opts.symmetricActivations, reduceRange: opts.reduceRange, granularity: PER_TENSOR, observer }),
    weightSpec: quantSpec({ dtype: opts.weightType, symmetric: opts.symmetricWeights, narrowRange: opts.symmetricWeights && opts.weightType.startsWith('int'), reduceRange: opts.reduceRange, granularity: PER_TENSOR, observer: { kind: 'minmax' } }),
  };
}

/** Annotates `model` for static mode by the backend's policy, with `keepFloat` nodes excluded besides the user's. */
function annotateStatic(model: Model, state: Pick<StaticState, 'backend' | 'options' | 'activationSpec' | 'weightSpec'>, keepFloat: ReadonlySet<string>) {
  const o = state.options;
  const exclude = keepFloat.size ? [...(o.exclude ?? []), ...[...keepFloat].map(exactNamePattern)] : o.exclude;
  const added = state.backend.prepare?.addedNodes;
  const backendOptions = (o as { backendOptions?: object }).backendOptions;
  return annotateGraph(model.graph, {
    policy: state.backend.policy, activationSpec: state.activationSpec, weightSpec: state.weightSpec, perChannel: o.perChannel, opTypes: o.opTypes, exclude,
    ...(backendOptions !== undefined && { backendOptions }),
    ...(added && { helperNodes: (g, index) => added.call(state.backend.prepare, g, index) }),
  });
}

/** An exclude entry (`/regex/`) that matches exactly `name`. */
function exactNamePattern(name: string): string {
  return `/^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$/`;
}

/** Float values read or written by nodes of `opTypes` (those the policy may quantize), initializers left out. */
function quantizableValues(model: Model, opTypes: readonly string[]): string[] {
  const g = model.graph;
  const ops = new Set(opTypes);
  const index = new GraphIndex(g);
  const out = new Set<string>();
  for (const n of g.nodes) {
    if (n.domain !== '' || !ops.has(n.opType)) continue;
    for (const v of [...n.inputs, ...n.outputs]) if (v && !g.initializers.has(v)) out.add(v);
    // A fusable activation after the node may carry its output range.
    const next = n.outputs[0] ? index.soleConsumer(n.outputs[0]) : undefined;
    if (next?.outputs[0]) out.add(next.outputs[0]);
  }
  return [...out];
}

/** Yields `batches` and copies the first `keep` of them into `kept`. */
async function* keeping(batches: Iterable<Feeds> | AsyncIterable<Feeds>, keep: number, kept: Feeds[]): AsyncGenerator<Feeds> {
  for await (const feeds of batches as AsyncIterable<Feeds>) {
    if (kept.length < keep) kept.push(feeds);
    yield feeds;
  }
}

/**
 * Phase one of static quantization: preprocess a copy of `input`, annotate it and run
 * calibration once (one executor run per batch). `options` may be resolved already.
 */
export async function prepareStatic(input: Model, options: QuantizeOptions | ResolvedOptions, ctx: ProfiledQuantizeContext, prepare: PrepareOptions = {}): Promise<StaticState> {
  const backend = resolveBackend(ctx.backend, ctx.registry);
  const opts = resolveOptions(options, backendDefaults(backend, (options as { backendOptions?: object }).backendOptions));
  if (opts.mode !== 'static') throw new QtkError('E_OPTION', `prepareStatic needs static mode, not '${opts.mode}'`, { option: 'mode' });
  const writers = writersFor(backend, ctx.writers);
  if (opts.format !== 'qdq') formatWriterFor(opts.format, writers);
  const { model, declaredInfo } = preprocessed(input, opts, ctx);
  if (!ctx.executor) throw new QtkError('E_OPTION', 'static quantization needs an executor to run calibration', { option: 'executor' });
  if (!ctx.calibration) throw new QtkError('E_CALIB_DATA', 'static quantization needs calibration data (or use mode: "dynamic")', { option: 'calibration' });
  const warnings = checkSelection(model.graph, opts, { mode: 'static', opTypes: backend.policy.opTypes });
  let t0 = performance.now();
  const specs = staticSpecs(opts);
  backend.prepare?.apply(model.graph, prepareContextFor(opts, specs));
  const ann = annotateStatic(model, { backend, options: opts, ...specs }, new Set());
  const observers = new Map<string, Observer>();
  for (const [v, role] of ann.tensors) {
    if (role.kind === 'activation' && !model.graph.initializers.has(v)) observers.set(v, createObserver(role.spec.observer, { tensor: v }));
  }
  const annotated = new Set(observers.keys());
  if (prepare.observeAll) {
    for (const v of quantizableValues(model, backend.policy.opTypes)) if (!observers.has(v)) observers.set(v, createObserver(specs.activationSpec.observer, { tensor: v }));
  }
  ctx.profile?.('annotate', performance.now() - t0);
  const kept: Feeds[] = [];
  const batches = prepare.keepBatches ? keeping(ctx.calibration, prepare.keepBatches, kept) : ctx.calibration;
  // Bias correction: the same run also gives the channel means of quantized Conv and Gemm inputs.
  const meanOf = opts.biasCorrection ? withChannelMeanOutputs(model, biasTargets(model, ann).map((t) => t.input)) : undefined;
  const meanObservers = new Map([...(meanOf?.means ?? [])].map(([v, out]) => [out, new ChannelMeanObserver(out)] as const));
  const calModel = meanOf?.model ?? model;
  const cal = await calibrate({
    model: calModel, executor: ctx.executor, batches, observers: new Map([...observers, ...meanObservers]),
    onProgress: ctx.onProgress, totalBatches: ctx.calibrationBatches, profile: ctx.profile, sampleLimit: opts.sampleLimit,
  });
  const channelMeans = new Map<string, Float32Array>();
  for (const [v, out] of meanOf?.means ?? []) {
    const obs = meanObservers.get(out)!;
    if (!cal.nonFloat.has(out) && obs.stats().batches > 0) channelMeans.set(v, obs.means());
  }
  t0 = performance.now();
  const ranges = new Map<string, ObservedRange>();
  const qparams = new Map<string, ObservedQParams>();
  let skipped = 0;
  for (const [v, obs] of observers) {
    skipped += obs.stats().skippedNonFinite;
    if (cal.nonFloat.has(v)) continue;
    // An annotated value must have a range; an extra one (observeAll) with nothing finite stays float.
    if (!annotated.has(v) && obs.stats().batches === 0) continue;
    try {
      const range = obs.range();
      const qp = obs.calcQParams(specs.activationSpec);
      ranges.set(v, range);
      qparams.set(v, qp);
    } catch (e) {
      if (annotated.has(v)) throw e;
    }
  }
  ctx.profile?.('range', performance.now() - t0);
  return {
    model, backend, writers, options: opts, declaredInfo, ...specs, ranges, qparams, nonFloat: cal.nonFloat, channelMeans,
    calibration: { batches: cal.batches, samples: cal.samples, tensors: observers.size, skippedNonFinite: skipped },
    keptBatches: kept, warnings,
  };
}

/**
 * Phase two: a new model converted to QDQ from `state`, with the `keepFloat` nodes
 * (by name) left float as if the user had excluded them; they are listed as float
 * with `keepFloatReason`. Activations the state has no range for stay float. The Q/DQ
 * domains are those of the state's writers, so the bytes equal `quantizeModel`'s.
 */
export function convertStatic(state: StaticState, keepFloat: ReadonlySet<string> = new Set(), keepFloatReason = 'kept float on request'): StaticConversion {
  const model = cloneModel(state.model);
  const ann = annotateStatic(model, state, keepFloat);
  const index = new GraphIndex(model.graph);
  const blockSize = state.options.blockSize;
  if (blockSize > 0) {
    // Per-block weights: blocks run along the reduction axis of the node reading the weight.
    for (const [v, role] of ann.tensors) {
      if (role.kind !== 'weight') continue;
      const reader = index.consumers(v).find((n) => ann.quantized.has(n) && weightName(n) === v && BLOCKED_WEIGHT_OPS.includes(n.opType));
      const axis = reader && resolveWeight(reader, model.graph.initializers.get(v)?.dims.length ?? 0)?.reductionAxis;
      if (axis === undefined) continue;
      ann.tensors.set(v, { kind: 'weight', spec: quantSpec({ ...role.spec, granularity: { kind: 'perBlock', axis, blockSize } }) });
    }
  }
  correctBiases(model, ann, state.channelMeans);
  const activations = new Map<string, QParams>();
  const zeroRange: string[] = [];
  const notFloat = new Map<string, string>();
  for (const [v, role] of [...ann.tensors]) {
    if (role.kind !== 'activation' || model.graph.initializers.has(v)) continue;
    const dtype = state.nonFloat.get(v);
    if (dtype !== undefined) { notFloat.set(v, dtype); ann.tensors.delete(v); continue; }
    const range = state.ranges.get(v);
    const qp = state.qparams.get(v);
    if (!range || !qp) { ann.tensors.delete(v); continue; }
    if (range.min[0] === range.max[0]) zeroRange.push(v);
    activations.set(v, { ...qp, dtype: state.activationSpec.dtype });
  }
  const float: FloatNode[] = [];
  // Nodes whose marked inputs turned out not to be float stay float.
  for (const n of [...ann.quantized]) {
    const bad = n.inputs.find((i) => notFloat.has(i));
    if (bad) { ann.quantized.delete(n); float.push({ name: n.name, opType: n.opType, reason: `input '${bad}' is ${notFloat.get(bad)}` }); }
  }
  const units = [...ann.quantized].map((n) => {
    const next = n.outputs[0] ? index.soleConsumer(n.outputs[0]) : undefined;
    return { name: n.name, opType: n.opType, ...(next && ann.fused.has(next) && { fused: next.name }) };
  });
  const plan = planQuantization(model.graph, ann, activations);
  writeQdq(model, plan, state.writers.qdq);
  dropInferredValueInfo(model, state.declaredInfo);
  const quantized = [...ann.quantized].map((n) => ({ name: n.name, opType: n.opType })).concat([...ann.fused].map((n) => ({ name: n.name, opType: n.opType })));
  float.push(...ann.float.map((f) => (keepFloat.has(f.name) ? { ...f, reason: keepFloatReason } : f)));
  float.push(...scopedNodes(model).filter(({ node, at }) => at.graph && !['Constant', 'Shape'].includes(node.opType))
    .map(({ node, at }) => ({ name: node.name, opType: node.opType, reason: STATIC_BODY_REASON, ...at })));
  return { model, plan, quantized, float, zeroRange, units };
}

/** Removes value_info that preprocessing inferred (stale after rewriting, and it costs bytes). */
function dropInferredValueInfo(model: Model, declared: ReadonlySet<string>): void {
  for (const k of [...model.graph.valueInfo.keys()]) if (!declared.has(k)) model.graph.valueInfo.delete(k);
}
