/**
 * The OpenVINO backend as front ends use it: `openvinoBackend`'s placement with its option
 * spec (`--preset`, `--ignored-scope-names`, `--validation`, `--max-drop`, ...) and its
 * own flow, which runs NNCF's `quantize` or, with validation data and a metric,
 * `quantize_with_accuracy_control`, and reports the metric in the run's summary.
 */
import {
  QtkError, backendDefaults, isQtkError, resolveOptions,
  type BackendPlugin, type BackendQuantizeResult, type Feeds, type Model, type QuantizeContext, type QuantizeOptions, type QuantizeReport,
} from '@qtk/core';
import { quantizeWithAccuracyControl } from '../accuracyControl/algorithm.js';
import type { AccuracyControlReport } from '../accuracyControl/types.js';
import { openvinoBackend } from '../backend.js';
import { Dataset } from '../dataset.js';
import type { OpenvinoBackendOptions } from '../policy/backendOptions.js';
import { DEFAULT_SUBSET_SIZE, quantize, staticOptionsFor, type OpenVinoQuantizeOptions } from '../quantize.js';
import { firstSamples } from './calibrationSamples.js';
import { openvinoOptionSpec } from './optionSpec.js';
import type { OpenvinoRunOptions } from './runOptions.js';

/** The placement options among the run's options. */
function placementOptions(o: OpenvinoRunOptions | undefined): OpenvinoBackendOptions | undefined {
  if (!o) return undefined;
  const { preset, targetDevice, modelType, ignoredScope } = o;
  return { ...(preset && { preset }), ...(targetDevice && { targetDevice }), ...(modelType && { modelType }), ...(ignoredScope && { ignoredScope }) };
}

/** All batches of the calibration the front end gave (an iterable or an async iterable). */
async function collect(calibration: QuantizeContext['calibration']): Promise<Feeds[]> {
  if (!calibration) throw new QtkError('E_OPTION', 'the openvino backend calibrates: give calibration data', { option: 'calibrationData' });
  const out: Feeds[] = [];
  for await (const b of calibration as AsyncIterable<Feeds>) out.push(b);
  return out;
}

/** `e` rethrown naming the flag at fault: an ignored-scope entry or the metric. */
function renamed(e: unknown, o: OpenvinoRunOptions): unknown {
  if (!isQtkError(e, 'E_OPTION')) return e;
  const label = o.label ?? ((n: string) => n);
  const option = String(e.where.option ?? '');
  const scope = /^backendOptions\.ignoredScope\.(names|patterns|types)$/.exec(option);
  if (scope) {
    const field = `ignoredScope${scope[1]![0]!.toUpperCase()}${scope[1]!.slice(1)}`;
    const message = e.message.replace(/^backendOptions\.ignoredScope\.\w+\[\d+\] /, `${label(field)} `).replace(/ \(set validate: false to allow this\)$/, '');
    return new QtkError('E_OPTION', message, { option: field }, { cause: e });
  }
  if (option === 'validate' && o.accuracyControl) {
    return new QtkError('E_OPTION', `${o.accuracyControl.metric.label}: ${e.message}`, { option: 'metric' }, { cause: e });
  }
  return e;
}

/** The summary lines of accuracy control. */
function accuracySummary(r: AccuracyControlReport): string[] {
  const f = (x: number) => (Math.round(x * 1e4) / 1e4).toString();
  return [
    `accuracy control: float metric ${f(r.initialMetric)}, quantized metric ${f(r.quantizedMetric)}, final metric ${f(r.finalMetric)}, ` +
      `drop ${f(r.drop)} (max ${r.maxDrop} ${r.dropType}${r.reached ? '' : ', NOT reached'}), ${r.reverted.length} nodes reverted to float, ` +
      `compute ops quantized ${r.computeOps.quantized}/${r.computeOps.total}, ${r.evaluations} evaluations, ${r.seconds.toFixed(1)} s`,
    ...(r.note ? [`accuracy control: ${r.note}`] : []),
  ];
}

/** Core's report of a model accuracy control returned. */
function coreReport(model: Model, options: OpenVinoQuantizeOptions, r: AccuracyControlReport): QuantizeReport {
  const resolved = resolveOptions(staticOptionsFor(model, options, openvinoBackend), backendDefaults(openvinoBackend, placementOptions(options)));
  return { mode: 'static', options: resolved, quantized: r.quantized, float: r.float, warnings: [], zeroRange: [], seconds: r.seconds };
}

/** The front end's run: `quantize`, or accuracy control when asked for. */
async function quantizeForFrontEnd(model: Model, options: QuantizeOptions<OpenvinoRunOptions>, ctx: QuantizeContext): Promise<BackendQuantizeResult> {
  const o = options.backendOptions ?? {};
  if (!ctx.executor) throw new QtkError('E_OPTION', 'the openvino backend calibrates: give an executor', { option: 'executor' });
  const executor = ctx.executor;
  const say = (detail: string) => ctx.onProgress?.({ phase: 'backend', done: 0, detail });
  const all = await collect(ctx.calibration);
  const subsetSize = o.subsetSize ?? DEFAULT_SUBSET_SIZE;
  const { batches, samples } = firstSamples(all, subsetSize);
  const total = all.reduce((n, b) => n + (Object.values(b)[0]?.dims[0] ?? 1), 0);
  if (samples < total) say(`calibration: the first ${samples} of ${total} samples (${(o.label ?? ((n: string) => n))('subsetSize')} ${subsetSize})`);
  const nncf: OpenVinoQuantizeOptions = { ...placementOptions(o), subsetSize: batches.length, fastBiasCorrection: o.fastBiasCorrection ?? true };
  const calibration = new Dataset(batches);
  try {
    const ac = o.accuracyControl;
    if (!ac) return await quantize(model, calibration, nncf, { executor, backend: openvinoBackend, ...(ctx.onProgress && { onProgress: ctx.onProgress }) });
    const validation = await ac.validation.load(model);
    ac.metric.check(validation.length);
    say(`accuracy control: ${validation.length} validation samples from ${ac.validation.path}, ${ac.metric.label}, max drop ${ac.maxDrop} (${ac.dropType})`);
    const r = await quantizeWithAccuracyControl(model, calibration, new Dataset(validation), (run, ds) => ac.metric.measure(run, ds.items),
      { ...nncf, maxDrop: ac.maxDrop, dropType: ac.dropType },
      { executor, backend: openvinoBackend, onProgress: (p) => { if (p.stage !== 'calibrate') say(`accuracy control: ${p.detail}`); } });
    return { model: r.model, report: coreReport(model, nncf, r.report), summary: accuracySummary(r.report) };
  } catch (e) {
    throw renamed(e, o);
  }
}

/**
 * The OpenVINO backend plugin with its options and quantize flow: what `qtk quantize
 * --backend openvino` runs. It places as `openvinoBackend` (the package's default export).
 */
export const openvinoPlugin: BackendPlugin<OpenvinoRunOptions> = {
  ...(openvinoBackend as unknown as BackendPlugin<OpenvinoRunOptions>),
  defaultsFor: (o) => backendDefaults(openvinoBackend, placementOptions(o)),
  optionSpec: openvinoOptionSpec,
  quantize: quantizeForFrontEnd,
};
