/**
 * The TensorRT backend as front ends use it: the placement backend (`tensorrtBackend`:
 * policy, defaults, validation) with its option spec (`--precision`, `--from-cache`, ...)
 * and its own quantize flow, which a front end runs in place of core's `quantizeModel`
 * because INT4, FP8 and ranges from a cache need more than core's pipeline.
 */
import { QtkError, type BackendPlugin, type BackendQuantizeResult, type Model, type QuantizeContext, type QuantizeOptions } from '@qtk/core';
import { tensorrtBackend } from './backend.js';
import { tensorrtOptionSpec } from './optionSpec.js';
import { quantize } from './quantize.js';
import type { TensorrtRunOptions } from './runOptions.js';

/** Core options `quantize` reads, passed on as given. */
const FORWARDED = [
  'method', 'percentile', 'blockSize', 'exclude', 'opTypes', 'preprocess', 'perChannel', 'sampleLimit', 'minOutputSqnrDb',
  'biasCorrection', 'narrowRangeActivations',
] as const;

/** Core options the precision decides (the option spec refuses other values), and the fields that are not options. */
const DECIDED = new Set([
  'mode', 'version', 'backendOptions', 'activationType', 'weightType', 'symmetricActivations', 'symmetricWeights', 'reduceRange',
  'format', 'weightScheme', 'codebookSize',
]);

/**
 * Core's options with TensorRT's `backendOptions`, read as `quantize`'s options; its cache
 * as the `calibrationCache` output. A core option `quantize` does not read is E_OPTION
 * naming it, never dropped unseen.
 */
async function quantizeForFrontEnd(model: Model, options: QuantizeOptions<TensorrtRunOptions>, ctx: QuantizeContext): Promise<BackendQuantizeResult> {
  const o = options as QuantizeOptions<TensorrtRunOptions> & Record<string, unknown>;
  const unread = Object.keys(o).filter((k) => o[k] !== undefined && !DECIDED.has(k) && !(FORWARDED as readonly string[]).includes(k));
  if (unread.length) {
    throw new QtkError('E_OPTION', `option ${unread.join(', ')}: the tensorrt backend's quantize does not read ${unread.length > 1 ? 'them' : 'it'}`, { option: unread[0]! });
  }
  const forwarded = Object.fromEntries(FORWARDED.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
  const r = await quantize(model, { ...o.backendOptions, ...forwarded }, ctx);
  return { model: r.model, report: r.report, ...(r.cache !== undefined && { outputs: { calibrationCache: r.cache } }) };
}

/**
 * The TensorRT backend plugin with its options and quantize flow: what `qtk quantize
 * --backend tensorrt` runs. It places and validates as `tensorrtBackend` (the package's
 * default export), so `quantizeModel` treats both alike; front ends see its options.
 */
export const tensorrtPlugin: BackendPlugin<TensorrtRunOptions> = {
  ...(tensorrtBackend as BackendPlugin<TensorrtRunOptions>),
  optionSpec: tensorrtOptionSpec,
  quantize: quantizeForFrontEnd,
};
