/**
 * The quantization pipeline: preprocess → annotate → calibrate → convert.
 * The input model is never changed; the result is a new model and a report.
 */
import { QtkError } from '../errors/QtkError.js';
import type { Model } from '../ir/graph.js';
import { cloneModel } from '../transforms/clone.js';
import { preprocess } from '../transforms/preprocess.js';
import { annotateGraph } from '../annotate/annotate.js';
import { convertToQdq, type QParams } from '../convert/qdq.js';
import { convertDynamic } from '../convert/dynamic.js';
import { computeQParams } from '../quant/qparams.js';
import { quantSpec, PER_TENSOR } from '../spec/quantSpec.js';
import { createObserver } from '../observers/create.js';
import { bitsOf } from '../ir/dtype.js';
import type { Observer } from '../observers/observer.js';
import { calibrate } from './calibrate.js';
import { DEFAULT_STATIC_HANDLERS, observerForMethod, resolveOptions } from './defaults.js';
import type { QuantizeContext, QuantizeOptions, QuantizeReport } from './types.js';

/** Quantizes a model; static mode needs `ctx.executor` and `ctx.calibration`. */
export async function quantizeModel(input: Model, options: QuantizeOptions = {}, ctx: QuantizeContext = {}): Promise<{ model: Model; report: QuantizeReport }> {
  const t0 = performance.now();
  const opts = resolveOptions(options);
  const model = cloneModel(input);
  const declaredInfo = new Set(input.graph.valueInfo.keys());
  if (opts.preprocess) {
    ctx.onProgress?.({ phase: 'preprocess', done: 0, total: 1 });
    preprocess(model);
    ctx.onProgress?.({ phase: 'preprocess', done: 1, total: 1 });
  }
  const report: QuantizeReport = { mode: opts.mode, options: opts, quantized: [], float: [], zeroRange: [], seconds: 0 };

  if (opts.mode === 'dynamic') {
    if (opts.weightType !== 'int8' && opts.weightType !== 'uint8') {
      throw new QtkError('E_OPTION', `dynamic mode takes weightType int8 or uint8, not '${opts.weightType}'`, { option: 'weightType' });
    }
    const weightType = opts.weightType;
    const before = model.graph.nodes.slice();
    const r = convertDynamic(model, { perChannel: opts.perChannel, weightType, opTypes: opts.opTypes, exclude: opts.exclude });
    dropInferredValueInfo(model, declaredInfo);
    const handled = new Set([...r.quantized.map((n) => n.name), ...r.float.map((f) => f.name)]);
    report.quantized = r.quantized.map((n) => ({ name: n.name, opType: n.opType }));
    report.float = r.float.concat(
      before.filter((n) => !handled.has(n.name) && n.opType !== 'Constant').map((n) => ({ name: n.name, opType: n.opType, reason: 'dynamic mode quantizes MatMul, Gemm and Conv only' })),
    );
    report.seconds = (performance.now() - t0) / 1000;
    return { model, report };
  }

  if (!ctx.executor) throw new QtkError('E_OPTION', 'static quantization needs an executor to run calibration', { option: 'executor' });
  if (!ctx.calibration) throw new QtkError('E_CALIB_DATA', 'static quantization needs calibration data (or use mode: "dynamic")', { option: 'calibration' });
  const observer = observerForMethod(opts, bitsOf(opts.activationType));
  const activationSpec = quantSpec({ dtype: opts.activationType, symmetric: opts.symmetricActivations, reduceRange: opts.reduceRange, granularity: PER_TENSOR, observer });
  const weightSpec = quantSpec({ dtype: opts.weightType, symmetric: opts.symmetricWeights, reduceRange: opts.reduceRange, granularity: PER_TENSOR, observer: { kind: 'minmax' } });
  const ann = annotateGraph(model.graph, {
    handlers: DEFAULT_STATIC_HANDLERS, activationSpec, weightSpec, perChannel: opts.perChannel, opTypes: opts.opTypes, exclude: opts.exclude,
  });
  const observers = new Map<string, Observer>();
  for (const [v, role] of ann.tensors) {
    if (role.kind === 'activation' && !model.graph.initializers.has(v)) observers.set(v, createObserver(role.spec.observer, { tensor: v }));
  }
  const cal = await calibrate(model, ctx.executor, ctx.calibration, observers, ctx.onProgress, ctx.calibrationBatches);
  const activations = new Map<string, QParams>();
  let skipped = 0;
  for (const [v, obs] of observers) {
    skipped += obs.stats().skippedNonFinite;
    if (cal.nonFloat.has(v)) { ann.tensors.delete(v); continue; }
    const { min, max } = obs.range();
    if (min[0] === max[0]) report.zeroRange.push(v);
    const qp = computeQParams(min, max, activationSpec);
    activations.set(v, { ...qp, dtype: activationSpec.dtype });
  }
  // Nodes whose marked inputs turned out not to be float stay float.
  for (const n of [...ann.quantized]) {
    const bad = n.inputs.find((i) => cal.nonFloat.has(i));
    if (bad) { ann.quantized.delete(n); report.float.push({ name: n.name, opType: n.opType, reason: `input '${bad}' is ${cal.nonFloat.get(bad)}` }); }
  }
  ctx.onProgress?.({ phase: 'convert', done: 0, total: 1 });
  convertToQdq(model, ann, activations);
  dropInferredValueInfo(model, declaredInfo);
  ctx.onProgress?.({ phase: 'convert', done: 1, total: 1 });
  report.quantized = [...ann.quantized].map((n) => ({ name: n.name, opType: n.opType })).concat([...ann.fused].map((n) => ({ name: n.name, opType: n.opType })));
  report.float.push(...ann.float);
  report.calibration = { batches: cal.batches, samples: cal.samples, tensors: observers.size, skippedNonFinite: skipped };
  report.seconds = (performance.now() - t0) / 1000;
  return { model, report };
}

/** Removes value_info that preprocessing inferred (stale after rewriting, and it costs bytes). */
function dropInferredValueInfo(model: Model, declared: ReadonlySet<string>): void {
  for (const k of [...model.graph.valueInfo.keys()]) if (!declared.has(k)) model.graph.valueInfo.delete(k);
}
