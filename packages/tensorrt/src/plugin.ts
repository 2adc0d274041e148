/**
 * The TensorRT backend as front ends use it: the placement backend (`tensorrtBackend`:
 * policy, defaults, validation) with its option spec (`--precision`, `--from-cache`, ...)
 * and its own quantize flow, which a front end runs in place of core's `quantizeModel`
 * because INT4, FP8 and ranges from a cache need more than core's pipeline.
 */
import type { BackendPlugin, BackendQuantizeResult, Model, QuantizeContext, QuantizeOptions } from '@qtk/core';
import { tensorrtBackend } from './backend.js';
import { tensorrtOptionSpec } from './optionSpec.js';
import { quantize } from './quantize.js';
import type { TensorrtRunOptions } from './runOptions.js';

/** Core's options with TensorRT's `backendOptions`, read as `quantize`'s options; its cache as the `calibrationCache` output. */
async function quantizeForFrontEnd(model: Model, options: QuantizeOptions<TensorrtRunOptions>, ctx: QuantizeContext): Promise<BackendQuantizeResult> {
  const o = options as QuantizeOptions<TensorrtRunOptions> & Record<string, unknown>;
  const pick = <K extends string>(k: K) => (o[k] !== undefined ? { [k]: o[k] } : {});
  const r = await quantize(model, {
    ...o.backendOptions,
    ...pick('method'), ...pick('percentile'), ...pick('blockSize'), ...pick('exclude'), ...pick('opTypes'), ...pick('preprocess'),
    ...pick('perChannel'), ...pick('sampleLimit'), ...pick('minOutputSqnrDb'), ...pick('biasCorrection'),
  }, ctx);
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
