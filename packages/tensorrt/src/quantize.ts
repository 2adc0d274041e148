/**
 * `quantize(model, options, ctx)`: one call that quantizes an ONNX model for TensorRT by
 * the options of `qtk quantize --backend tensorrt`. INT8 calibrates with TensorRT's
 * calibrator (or takes the ranges of a calibration cache, without calibrating) and can
 * return the cache; FP8 places E4M3 Q/DQ on a model at opset 19 or above; INT4 quantizes
 * MatMul and Gemm weights in blocks. The input model is never changed.
 *
 * Example:
 *   const { model: q, cache } = await quantize(model, { precision: 'int8', calibrationCache: true },
 *     { executor: ortNode, calibration: batches });
 */
import { quantizeModel, type Model, type QuantizeContext, type QuantizeReport, type StaticQuantizeOptions } from '@qtk/core';
import { tensorrtBackend, type TensorrtBackendOptions } from './backend.js';
import { planTensorrt, type TensorrtPlan, type TensorrtQuantizeOptions } from './quantizeOptions.js';

/** What `quantize` gives: the quantized model, core's report, and the calibration cache when asked for. */
export interface TensorrtQuantizeResult {
  model: Model;
  report: QuantizeReport;
  /** TensorRT's calibration cache (its text), with `calibrationCache: true`. */
  cache?: string;
}

/** How the API names options in messages: by their field, and calibration data by the context's field. */
const apiLabel = (name: string): string => (name === 'calibrationData' ? 'ctx.calibration' : `option ${name}`);

/** Core's static options for INT8 or FP8 out of `o`: TensorRT's types and symmetry, the node selection and calibration settings given. */
function staticOptions(o: TensorrtQuantizeOptions): StaticQuantizeOptions<TensorrtBackendOptions> {
  return {
    mode: 'static',
    activationType: 'int8',
    weightType: 'int8',
    symmetricActivations: true,
    symmetricWeights: true,
    ...(o.method !== undefined && { method: o.method }),
    ...(o.percentile !== undefined && { percentile: o.percentile }),
    ...(o.exclude !== undefined && { exclude: o.exclude }),
    ...(o.opTypes !== undefined && { opTypes: o.opTypes }),
    ...(o.preprocess !== undefined && { preprocess: o.preprocess }),
    ...(o.perChannel !== undefined && { perChannel: o.perChannel }),
    ...(o.sampleLimit !== undefined && { sampleLimit: o.sampleLimit }),
    ...(o.minOutputSqnrDb !== undefined && { minOutputSqnrDb: o.minOutputSqnrDb }),
    ...(o.biasCorrection !== undefined && { biasCorrection: o.biasCorrection }),
  };
}

/** INT8 calibrated by TensorRT's calibrator `plan.method`. */
async function quantizeInt8(model: Model, o: TensorrtQuantizeOptions, plan: Extract<TensorrtPlan, { source: 'calibration' }>, ctx: QuantizeContext): Promise<TensorrtQuantizeResult> {
  const r = await quantizeModel(model, { ...staticOptions(o), method: plan.method }, { ...ctx, backend: tensorrtBackend });
  return { model: r.model, report: r.report };
}

/**
 * Quantizes `model` for TensorRT (see the module comment). INT8 and FP8 need
 * `ctx.executor` and `ctx.calibration`, except INT8 from a cache; INT4 with `awq_lite`
 * needs them too. Options that would do nothing together are E_OPTION errors (see
 * `planTensorrt`); a result TensorRT's parser would refuse is E_UNSUPPORTED.
 */
export async function quantize(model: Model, options: TensorrtQuantizeOptions = {}, ctx: QuantizeContext = {}): Promise<TensorrtQuantizeResult> {
  const plan = planTensorrt(options, ctx.calibration !== undefined, apiLabel);
  if (plan.precision === 'int8' && plan.source === 'calibration') return quantizeInt8(model, options, plan, ctx);
  throw new Error('not wired yet');
}
