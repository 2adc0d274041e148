/**
 * `quantize`, as NNCF's `nncf.quantize`: post-training static quantization from a
 * `Dataset`, with NNCF's option names. It calibrates on the first `subsetSize` items,
 * takes activation ranges as the mean over samples of each sample's min and max (NNCF's
 * mean-min-max estimator), weight ranges as min-max, and corrects Conv and Gemm biases
 * for the shift rounding the weights causes (`fastBiasCorrection`). With the OpenVINO
 * backend and `modelType: 'transformer'`, SmoothQuant runs first on the same items.
 */
import {
  QtkError, quantizeModel, type BackendPlugin, type Executor, type Model, type Progress,
  type QuantizeReport, type Registry, type StaticQuantizeOptions,
} from '@qtk/core';
import { openvinoBackend } from './backend.js';
import type { Dataset } from './dataset.js';
import { ignoredNodes, type IgnoredScope } from './ignoredScope/ignoredScope.js';
import type { ModelType, Preset, TargetDevice } from './options.js';
import { presetDefaults, resolveOpenvinoOptions } from './policy/backendOptions.js';
import type { OverflowFix } from './overflowFix/overflowFix.js';
import { smoothQuantFor } from './smoothQuant/smoothQuantStep.js';

/** The options of `quantize`, NNCF's names in camelCase. */
export interface OpenVinoQuantizeOptions {
  /** `performance` (default): symmetric activations; `mixed`: asymmetric activations. Weights are symmetric in both. */
  preset?: Preset;
  /** The device whose hardware configuration places the quantizers (default `ANY`). */
  targetDevice?: TargetDevice;
  /** Calibration items used, the first ones of the dataset (default 300). */
  subsetSize?: number;
  /**
   * Correct Conv and Gemm biases for the mean shift of rounded weights (default true). False
   * turns correction off: NNCF runs its slower BiasCorrection instead, which qtk does not have
   * (`report.warnings` says so).
   */
  fastBiasCorrection?: boolean;
  /** SmoothQuant's alpha for MatMul/Gemm (default 0.95 with `modelType: 'transformer'`; a negative value turns it off). */
  smoothQuantAlpha?: number;
  /** NNCF's overflow fix: 'first_layer_only' (default for int8 on CPU), 'enable' or 'disable'. */
  overflowFix?: OverflowFix;
  /** `transformer`: the transformer rules of the backend. */
  modelType?: ModelType;
  /** Nodes left float. */
  ignoredScope?: IgnoredScope;
}

/** What `quantize` needs besides the model and data. */
export interface OpenVinoQuantizeContext {
  /** Runs the float model during calibration (for example `ortNode` of `@qtk/onnxruntime/node`). */
  executor: Executor;
  /** The backend whose placement applies: a plugin object or its name in `registry` (default: `openvinoBackend`). */
  backend?: BackendPlugin<any> | string;
  /** Where a backend given by name is looked up. */
  registry?: Registry;
  /** Calibration and conversion progress. */
  onProgress?: (p: Progress) => void;
}

/** NNCF's default calibration subset. */
export const DEFAULT_SUBSET_SIZE = 300;

/** The subset size of `options`, checked (an E_OPTION error names a bad one). */
export function subsetSizeOf(options: Pick<OpenVinoQuantizeOptions, 'subsetSize'>): number {
  const n = options.subsetSize ?? DEFAULT_SUBSET_SIZE;
  if (!Number.isInteger(n) || n < 1) throw new QtkError('E_OPTION', `option subsetSize=${n}: give a whole number of samples ≥ 1`, { option: 'subsetSize' });
  return n;
}

/** The backend of `ctx`: the one given, else `openvinoBackend`. */
export function backendOf(ctx: Pick<OpenVinoQuantizeContext, 'backend'>): BackendPlugin<any> | string {
  return ctx.backend ?? openvinoBackend;
}

/** Exact-name exclude entry (core's exclude takes names or `/regex/` strings). */
function exactName(name: string): string {
  return `/^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$/`;
}

/**
 * Core static options that carry out `options` for `model` on `backend`. The OpenVINO
 * backend takes preset, target device, model type and ignored scope as its own options;
 * another backend (a stand-in placement) gets the preset's option defaults (mean-min-max
 * activations, symmetric per-channel weights) and the ignored nodes as `exclude`.
 */
export function staticOptionsFor(model: Model, options: OpenVinoQuantizeOptions, backend: BackendPlugin<any> | string): StaticQuantizeOptions<any> {
  const biasCorrection = options.fastBiasCorrection ?? true;
  const name = typeof backend === 'string' ? backend : backend.name;
  if (name === openvinoBackend.name) {
    const { preset, targetDevice, modelType, ignoredScope, smoothQuantAlpha, overflowFix } = options;
    return {
      mode: 'static', biasCorrection,
      backendOptions: {
        ...(preset && { preset }), ...(targetDevice && { targetDevice }), ...(modelType && { modelType }), ...(ignoredScope && { ignoredScope }),
        ...(smoothQuantAlpha !== undefined && { smoothQuantAlpha }), ...(overflowFix && { overflowFix }),
      },
    };
  }
  const preset = options.preset ?? (options.modelType === 'transformer' ? 'mixed' : 'performance');
  if (preset !== 'performance' && preset !== 'mixed') throw new QtkError('E_OPTION', `option preset='${String(preset)}': give 'performance' or 'mixed'`, { option: 'preset' });
  const exclude = [...ignoredNodes(model.graph, options.ignoredScope).keys()].map((n) => exactName(n.name));
  const { activationType, symmetricActivations, weightType, symmetricWeights, perChannel, method } = presetDefaults(preset);
  return {
    mode: 'static', activationType, symmetricActivations, weightType, symmetricWeights, perChannel, method, biasCorrection,
    ...(exclude.length && { exclude }),
  };
}

/**
 * Quantizes `model` statically on the first `subsetSize` items of `dataset`.
 * Example: `await quantize(model, new Dataset(images, (x) => ({ input: x })), { preset: 'mixed' }, { executor: ortNode, backend })`.
 */
export async function quantize(
  model: Model, dataset: Dataset<any>, options: OpenVinoQuantizeOptions = {}, ctx: OpenVinoQuantizeContext,
): Promise<{ model: Model; report: QuantizeReport }> {
  const calibration = dataset.subset(subsetSizeOf(options));
  const backend = backendOf(ctx);
  const staticOptions = staticOptionsFor(model, options, backend);
  // SmoothQuant (on with modelType 'transformer') needs a pass over the data first; otherwise the model goes in as it is.
  const smooth = staticOptions.backendOptions && resolveOpenvinoOptions(staticOptions.backendOptions).smoothQuantAlpha >= 0;
  const smoothed = smooth ? (await smoothQuantFor(model, staticOptions.backendOptions, ctx.executor, calibration)).model : model;
  const result = await quantizeModel(smoothed, staticOptions, {
    backend, executor: ctx.executor, calibration, calibrationBatches: calibration.size,
    ...(ctx.registry && { registry: ctx.registry }), ...(ctx.onProgress && { onProgress: ctx.onProgress }),
  });
  if (options.fastBiasCorrection === false) {
    result.report.warnings.push({ option: 'biasCorrection', message: 'fastBiasCorrection=false: biases are not corrected (NNCF would run its full BiasCorrection, which qtk does not have)' });
  }
  return result;
}
