/**
 * `quantize`, as NNCF's `nncf.quantize`: post-training static quantization from a
 * `Dataset`, with NNCF's option names. It calibrates on the first `subsetSize` items,
 * takes activation ranges as the mean over samples of each sample's min and max (NNCF's
 * mean-min-max estimator), weight ranges as min-max, and corrects Conv and Gemm biases
 * for the shift rounding the weights causes (`fastBiasCorrection`).
 */
import {
  QtkError, quantizeModel, type BackendPlugin, type Executor, type Model, type Progress,
  type QuantizeReport, type Registry, type StaticQuantizeOptions,
} from '@qtk/core';
import type { Dataset } from './dataset.js';
import type { ModelType, Preset, TargetDevice } from './options.js';

/** Nodes kept float, as NNCF's `IgnoredScope`: exact names, regular expressions on names, op types. */
export interface IgnoredScope {
  names?: readonly string[];
  /** Regular expressions (without slashes) a node name must match somewhere. */
  patterns?: readonly string[];
  /** Op types (`Softmax`, `MatMul`): every node of these types stays float. */
  types?: readonly string[];
}

/** The options of `quantize`, NNCF's names in camelCase. */
export interface OpenVinoQuantizeOptions {
  /** `performance` (default): symmetric activations; `mixed`: asymmetric activations. Weights are symmetric in both. */
  preset?: Preset;
  /** The device whose hardware configuration places the quantizers (default `ANY`). */
  targetDevice?: TargetDevice;
  /** Calibration items used, the first ones of the dataset (default 300). */
  subsetSize?: number;
  /** Correct Conv and Gemm biases for the mean shift of rounded weights (default true). */
  fastBiasCorrection?: boolean;
  /** `transformer`: the transformer rules of the backend. */
  modelType?: ModelType;
  /** Nodes left float. */
  ignoredScope?: IgnoredScope;
}

/** What `quantize` needs besides the model and data. */
export interface OpenVinoQuantizeContext {
  /** Runs the float model during calibration (for example `ortNode` of `@qtk/onnxruntime/node`). */
  executor: Executor;
  /** The backend whose placement applies: a plugin object or its name in `registry`. Required for now. */
  backend?: BackendPlugin<any> | string;
  /** Where a backend given by name is looked up. */
  registry?: Registry;
  /** Calibration and conversion progress. */
  onProgress?: (p: Progress) => void;
}

/** NNCF's default calibration subset. */
export const DEFAULT_SUBSET_SIZE = 300;

/** The backend options `quantize` hands a backend that reads them (the OpenVINO backend, by name). */
const OPENVINO_BACKEND = 'openvino';

/** Exact-name exclude entry (core's exclude takes names or `/regex/` strings). */
function exactName(name: string): string {
  return `/^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$/`;
}

/** `scope` as core `exclude` entries: names and patterns as regular expressions, types as the names of their nodes in `model`. */
export function excludeFor(model: Model, scope: IgnoredScope | undefined): string[] {
  if (!scope) return [];
  const out = [...(scope.names ?? []).map(exactName), ...(scope.patterns ?? []).map((p) => `/${p}/`)];
  const types = new Set(scope.types ?? []);
  if (types.size) for (const n of model.graph.nodes) if (types.has(n.opType)) out.push(exactName(n.name));
  return out;
}

/** The subset size of `options`, checked (an E_OPTION error names a bad one). */
export function subsetSizeOf(options: Pick<OpenVinoQuantizeOptions, 'subsetSize'>): number {
  const n = options.subsetSize ?? DEFAULT_SUBSET_SIZE;
  if (!Number.isInteger(n) || n < 1) throw new QtkError('E_OPTION', `option subsetSize=${n}: give a whole number of samples ≥ 1`, { option: 'subsetSize' });
  return n;
}

/** The backend of `ctx`, or an E_OPTION error saying to pass one. */
export function backendOf(ctx: Pick<OpenVinoQuantizeContext, 'backend'>): BackendPlugin<any> | string {
  if (ctx.backend === undefined) {
    throw new QtkError('E_OPTION', 'quantize needs ctx.backend: pass a backend plugin (or its name in ctx.registry)', { option: 'backend' });
  }
  return ctx.backend;
}

/** Core static options that carry out `options` for `model` (mean-min-max activations, symmetric weights). */
export function staticOptionsFor(model: Model, options: OpenVinoQuantizeOptions, backend: BackendPlugin<any> | string): StaticQuantizeOptions<any> {
  const preset = options.preset ?? 'performance';
  if (preset !== 'performance' && preset !== 'mixed') throw new QtkError('E_OPTION', `option preset='${String(preset)}': give 'performance' or 'mixed'`, { option: 'preset' });
  const exclude = excludeFor(model, options.ignoredScope);
  const name = typeof backend === 'string' ? backend : backend.name;
  return {
    mode: 'static',
    method: 'mean-minmax',
    symmetricActivations: preset === 'performance',
    symmetricWeights: true,
    biasCorrection: options.fastBiasCorrection ?? true,
    ...(exclude.length && { exclude }),
    ...(name === OPENVINO_BACKEND && {
      backendOptions: { preset, targetDevice: options.targetDevice ?? 'ANY', ...(options.modelType && { modelType: options.modelType }) },
    }),
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
  return quantizeModel(model, staticOptionsFor(model, options, backend), {
    backend, executor: ctx.executor, calibration, calibrationBatches: calibration.size,
    ...(ctx.registry && { registry: ctx.registry }), ...(ctx.onProgress && { onProgress: ctx.onProgress }),
  });
}
