/**
 * The options of the OpenVINO backend (`backendOptions` of `quantizeModel`), with NNCF's
 * names, and the option defaults each preset stands for.
 */
import { QtkError, type BackendDefaults } from '@qtk/core';
import type { ModelType, Preset, TargetDevice } from '../options.js';
import { checkIgnoredScope, type IgnoredScope } from '../ignoredScope/ignoredScope.js';
import { OVERFLOW_FIX_MODES, type OverflowFix } from '../overflowFix/overflowFix.js';
import { SMOOTH_QUANT_MATMUL_ALPHA } from '../smoothQuant/smoothQuant.js';

/** `backendOptions` of the OpenVINO backend (NNCF's `quantize` arguments of the same names). */
export interface OpenvinoBackendOptions {
  /** 'performance' (symmetric activations) or 'mixed' (asymmetric activations); default by `modelType`. */
  preset?: Preset;
  /** Whose hardware configuration places the quantizers (default 'ANY', NNCF's CPU configuration). */
  targetDevice?: TargetDevice;
  /** 'transformer': preset 'mixed' by default and NNCF's transformer rules (float norms and attention output). */
  modelType?: ModelType;
  /** Nodes kept float (NNCF's IgnoredScope). */
  ignoredScope?: IgnoredScope;
  /**
   * NNCF's `OverflowFix`: weights on half the int8 range for CPUs without VNNI. Default
   * 'first_layer_only' (the first Convs from each input) with int8 weights and 8-bit
   * activations, 'disable' otherwise (as NNCF for other schemes and FP8).
   */
  overflowFix?: OverflowFix;
  /**
   * NNCF's `fast_bias_correction`: true (default) corrects biases from input channel means
   * (core's `biasCorrection`, which turns it off); false, NNCF's slower BiasCorrection, is not
   * implemented and is an E_OPTION error.
   */
  fastBiasCorrection?: boolean;
  /**
   * SmoothQuant's alpha for MatMul layers (NNCF's `AdvancedSmoothQuantParameters.matmul`),
   * in [0, 1] or negative for off. Default 0.95 with `modelType: 'transformer'`; SmoothQuant
   * runs for transformers only, so setting it without that model type is an E_OPTION error.
   */
  smoothQuantAlpha?: number;
}

/** The options with their defaults, as placement reads them. */
export interface ResolvedOpenvinoOptions {
  /** The preset, given or by model type. */
  readonly preset: Preset;
  /** The device whose configuration applies. */
  readonly targetDevice: TargetDevice;
  /** The model type, when given. */
  readonly modelType?: ModelType;
  /** The ignored scope, checked for its shape. */
  readonly ignoredScope?: IgnoredScope;
  /** The overflow fix when given; placement resolves the default from the quantization scheme (`overflowFixFor`). */
  readonly overflowFix?: OverflowFix;
  /** SmoothQuant's MatMul alpha: 0.95 (or the given value) for transformers, −1 (off) otherwise. */
  readonly smoothQuantAlpha: number;
}

const OPTION = 'backendOptions';
const PRESETS: readonly Preset[] = ['performance', 'mixed'];
const DEVICES: readonly TargetDevice[] = ['ANY', 'CPU', 'GPU', 'NPU'];
const MODEL_TYPES: readonly ModelType[] = ['transformer'];

/** Throws E_OPTION naming `field` when `value` is set and not one of `allowed`. */
function checkChoice(field: string, value: unknown, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value as string)) {
    throw new QtkError('E_OPTION', `option ${OPTION}.${field}=${JSON.stringify(value)} is not one of: ${allowed.join(', ')}`, { option: `${OPTION}.${field}` });
  }
}

/**
 * `options` checked and completed: preset 'performance' unless `modelType` is 'transformer'
 * (then 'mixed', as NNCF), target device 'ANY'. An unknown field or value is E_OPTION naming it.
 */
export function resolveOpenvinoOptions(options: unknown): ResolvedOpenvinoOptions {
  if (options === undefined) return { preset: 'performance', targetDevice: 'ANY', smoothQuantAlpha: -1 };
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new QtkError('E_OPTION', `option ${OPTION} must be an object { preset, targetDevice, modelType, ignoredScope }, not ${JSON.stringify(options)}`, { option: OPTION });
  }
  const o = options as Record<string, unknown>;
  const known = ['preset', 'targetDevice', 'modelType', 'ignoredScope', 'overflowFix', 'fastBiasCorrection', 'smoothQuantAlpha'];
  const unknown = Object.keys(o).find((k) => !known.includes(k));
  if (unknown !== undefined) {
    throw new QtkError('E_OPTION', `the openvino backend has no option ${OPTION}.${unknown} (options: ${known.join(', ')})`, { option: `${OPTION}.${unknown}` });
  }
  checkChoice('preset', o.preset, PRESETS);
  checkChoice('targetDevice', o.targetDevice, DEVICES);
  checkChoice('modelType', o.modelType, MODEL_TYPES);
  checkChoice('overflowFix', o.overflowFix, OVERFLOW_FIX_MODES);
  const modelType = o.modelType as ModelType | undefined;
  checkFastBiasCorrection(o.fastBiasCorrection);
  const smoothQuantAlpha = checkSmoothQuantAlpha(o.smoothQuantAlpha, modelType);
  return {
    smoothQuantAlpha,
    ...(o.overflowFix !== undefined && { overflowFix: o.overflowFix as OverflowFix }),
    preset: (o.preset as Preset | undefined) ?? (modelType === 'transformer' ? 'mixed' : 'performance'),
    targetDevice: (o.targetDevice as TargetDevice | undefined) ?? 'ANY',
    ...(modelType && { modelType }),
    ...(o.ignoredScope !== undefined && { ignoredScope: checkIgnoredScope(o.ignoredScope) }),
  };
}

/** `fastBiasCorrection`: a boolean, and not false (NNCF's full BiasCorrection is not implemented). */
function checkFastBiasCorrection(value: unknown): void {
  if (value === undefined || value === true) return;
  const option = `${OPTION}.fastBiasCorrection`;
  if (value !== false) throw new QtkError('E_OPTION', `option ${option}=${JSON.stringify(value)} must be true or false`, { option });
  throw new QtkError('E_OPTION', `option ${option}=false asks for NNCF's BiasCorrection (per-layer float vs quantized sub-graph outputs on the data), which @qtk/openvino does not implement; leave it true for the fast correction, or set biasCorrection: false to correct nothing`, { option });
}

/** SmoothQuant's alpha: a number ≤ 1, only with modelType 'transformer' (NNCF smooths transformers only); the default by model type. */
function checkSmoothQuantAlpha(value: unknown, modelType: ModelType | undefined): number {
  const option = `${OPTION}.smoothQuantAlpha`;
  if (value === undefined) return modelType === 'transformer' ? SMOOTH_QUANT_MATMUL_ALPHA : -1;
  if (typeof value !== 'number' || Number.isNaN(value) || value > 1) {
    throw new QtkError('E_OPTION', `option ${option}=${JSON.stringify(value)} must be a number in [0, 1], or negative to turn SmoothQuant off`, { option });
  }
  if (modelType !== 'transformer' && value >= 0) {
    throw new QtkError('E_OPTION', `option ${option}=${value} needs ${OPTION}.modelType 'transformer': NNCF runs SmoothQuant for transformers only, so without it the alpha would change nothing`, { option });
  }
  return value;
}

/**
 * The option defaults of a preset, from NNCF's CPU configuration: int8 weights, symmetric
 * narrow-range per channel, min-max ranges; activations per tensor with NNCF's mean of
 * per-sample min/max, symmetric int8 (zero point 0) for 'performance', asymmetric uint8 for 'mixed'.
 */
export function presetDefaults(preset: Preset): BackendDefaults {
  const activations: BackendDefaults = preset === 'performance'
    ? { activationType: 'int8', symmetricActivations: true }
    : { activationType: 'uint8', symmetricActivations: false };
  return { ...activations, weightType: 'int8', symmetricWeights: true, perChannel: true, method: 'mean-minmax', format: 'qdq' };
}
