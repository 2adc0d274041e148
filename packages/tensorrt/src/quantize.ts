/**
 * `quantize(model, options, ctx)`: one call that quantizes an ONNX model for TensorRT by
 * the options of `qtk quantize --backend tensorrt`. INT8 calibrates with TensorRT's
 * calibrator (or takes the ranges of a calibration cache, without calibrating) and can
 * return the cache; FP8 places E4M3 Q/DQ (core raises the model to opset 19); INT4
 * quantizes MatMul and Gemm weights in blocks. The input model is never changed.
 *
 * Example:
 *   const { model: q, cache } = await quantize(model, { precision: 'int8', calibrationCache: true },
 *     { executor: ortNode, calibration: batches });
 */
import {
  QtkError, isQtkError, quantizeModel, resolveOptions, type Model, type QuantizeContext, type QuantizeReport, type StaticQuantizeOptions,
} from '@qtk/core';
import { tensorrtBackend, type TensorrtBackendOptions } from './backend.js';
import { TENSORRT_FP8_OPTIONS } from './fp8Options.js';
import { quantizeInt4 } from './int4/quantizeInt4.js';
import type { Int4Report } from './int4/report.js';
import { readCalibrationCache } from './cache/readCache.js';
import { writeCalibrationCache } from './cache/writeCache.js';
import { rangesFromCache } from './cache/rangesFromCache.js';
import { cacheOfModel } from './cacheOfModel.js';
import { tensorrtCalibrator } from './calibrators/tensorrtCalibrator.js';
import { planTensorrt, type TensorrtPlan, type TensorrtQuantizeOptions } from './quantizeOptions.js';

/** What `quantize` gives: the quantized model, core's report, the calibration cache when asked for. */
export interface TensorrtQuantizeResult {
  /** The quantized model (a new one). */
  model: Model;
  /** Core's report: options in force, nodes quantized and left float, calibration. */
  report: QuantizeReport;
  /** TensorRT's calibration cache (its text), with `calibrationCache: true`. */
  cache?: string;
  /** INT4: awq_lite's choices per layer and scaled input. */
  int4?: Int4Report;
}

/** How the API names options in messages: by their field, and calibration data by the context's field. */
const apiLabel = (name: string): string => (name === 'calibrationData' ? 'ctx.calibration' : `option ${name}`);

/** Core's static options out of `o`: TensorRT's symmetric types, the node selection and calibration settings given. */
function staticOptions(o: TensorrtQuantizeOptions): StaticQuantizeOptions<TensorrtBackendOptions> {
  return {
    mode: 'static',
    activationType: 'int8',
    weightType: 'int8',
    symmetricActivations: true,
    symmetricWeights: true,
    ...(o.exclude !== undefined && { exclude: o.exclude }),
    ...(o.opTypes !== undefined && { opTypes: o.opTypes }),
    ...(o.preprocess !== undefined && { preprocess: o.preprocess }),
    ...(o.perChannel !== undefined && { perChannel: o.perChannel }),
    ...(o.sampleLimit !== undefined && { sampleLimit: o.sampleLimit }),
    ...(o.minOutputSqnrDb !== undefined && { minOutputSqnrDb: o.minOutputSqnrDb }),
    ...(o.biasCorrection !== undefined && { biasCorrection: o.biasCorrection }),
    ...(o.narrowRangeActivations !== undefined && { narrowRangeActivations: o.narrowRangeActivations }),
  };
}

/** INT8 calibrated by TensorRT's calibrator; the cache of the model's activation scales when asked for. */
async function int8Calibrated(model: Model, o: TensorrtQuantizeOptions, plan: Extract<TensorrtPlan, { source: 'calibration' }>, ctx: QuantizeContext): Promise<TensorrtQuantizeResult> {
  const calibrator = tensorrtCalibrator(plan.method, o.percentile === undefined ? {} : { percentile: o.percentile });
  const r = await quantizeModel(model, { ...staticOptions(o), ...calibrator.options }, { ...ctx, backend: tensorrtBackend });
  if (!plan.writeCache) return r;
  const grid = { narrowRange: r.report.options.mode === 'static' && !!r.report.options.narrowRangeActivations };
  return { ...r, cache: writeCalibrationCache(cacheOfModel(r.model, grid, { version: plan.trtVersion, algorithm: calibrator.algorithm })) };
}

/** INT8 with the ranges of a calibration cache: nothing is calibrated. E_OPTION naming the tensor a quantized activation lacks. */
async function int8FromCache(model: Model, o: TensorrtQuantizeOptions, text: string, ctx: QuantizeContext): Promise<TensorrtQuantizeResult> {
  const source = o.fromCacheFile === undefined ? 'the calibration cache' : `calibration cache '${o.fromCacheFile}'`;
  const cache = readCalibrationCache(text, o.fromCacheFile === undefined ? {} : { file: o.fromCacheFile });
  try {
    // A cache holds ranges only: no channel means to correct biases with.
    return await quantizeModel(model, { ...staticOptions(o), biasCorrection: false }, { ...ctx, ranges: rangesFromCache(cache), backend: tensorrtBackend });
  } catch (e) {
    if (!isQtkError(e, 'E_OPTION') || e.where.option !== 'ranges') throw e;
    throw new QtkError('E_OPTION', `${source} does not cover the activations TensorRT's placement quantizes: ${e.message}`, {
      option: 'fromCache', ...(e.where.tensor !== undefined && { tensor: e.where.tensor }), ...(o.fromCacheFile !== undefined && { file: o.fromCacheFile }),
    }, { cause: e });
  }
}

/** FP8 E4M3 activations and weights, amax scales; core raises a model below opset 19 to 19. */
async function fp8(model: Model, o: TensorrtQuantizeOptions, ctx: QuantizeContext): Promise<TensorrtQuantizeResult> {
  return quantizeModel(model, { ...staticOptions(o), ...TENSORRT_FP8_OPTIONS }, { ...ctx, backend: tensorrtBackend });
}

/** INT4 blocked weights (awq_lite or rtn), reported in core's terms as weight-only mode. */
async function int4(model: Model, o: TensorrtQuantizeOptions, plan: Extract<TensorrtPlan, { precision: 'int4' }>, ctx: QuantizeContext): Promise<TensorrtQuantizeResult> {
  const t0 = performance.now();
  const r = await quantizeInt4(model, {
    blockSize: plan.blockSize, algorithm: plan.algorithm, ...(o.exclude !== undefined && { exclude: o.exclude }),
  }, plan.algorithm === 'awq_lite' ? { ...(ctx.executor && { executor: ctx.executor }), ...(ctx.calibration && { calibration: ctx.calibration }) } : {});
  const options = resolveOptions({
    mode: 'weight-only', weightType: 'int4', blockSize: plan.blockSize, symmetricWeights: true, preprocess: false, ...(o.exclude !== undefined && { exclude: o.exclude }),
  }, tensorrtBackend.defaults);
  const report: QuantizeReport = {
    mode: 'weight-only', options, quantized: r.report.quantized, float: r.report.float, warnings: [], zeroRange: [], seconds: (performance.now() - t0) / 1000,
  };
  return { model: r.model, report, int4: r.report };
}

/**
 * Quantizes `model` for TensorRT (see the module comment). INT8 and FP8 need
 * `ctx.executor` and `ctx.calibration`, except INT8 from a cache, which takes neither; INT4
 * with `awq_lite` needs them too. Options that would do nothing together are E_OPTION
 * errors (see `planTensorrt`); a result TensorRT's parser would refuse is E_UNSUPPORTED.
 */
export async function quantize(model: Model, options: TensorrtQuantizeOptions = {}, ctx: QuantizeContext = {}): Promise<TensorrtQuantizeResult> {
  const plan = planTensorrt(options, ctx.calibration !== undefined, apiLabel);
  switch (plan.precision) {
    case 'int8': return plan.source === 'cache' ? int8FromCache(model, options, plan.cacheText, ctx) : int8Calibrated(model, options, plan, ctx);
    case 'fp8': return fp8(model, options, ctx);
    case 'int4': return int4(model, options, plan, ctx);
  }
}
