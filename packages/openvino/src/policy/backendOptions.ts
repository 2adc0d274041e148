/**
 * The options of the OpenVINO backend (`backendOptions` of `quantizeModel`), with NNCF's
 * names, and the option defaults each preset stands for.
 */
import { QtkError, type BackendDefaults } from '@qtk/core';
import type { ModelType, Preset, TargetDevice } from '../options.js';
import { checkIgnoredScope, type IgnoredScope } from '../ignoredScope/ignoredScope.js';

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
}

/** The options with their defaults, as placement reads them. */
export interface ResolvedOpenvinoOptions {
  readonly preset: Preset;
  readonly targetDevice: TargetDevice;
  readonly modelType?: ModelType;
  readonly ignoredScope?: IgnoredScope;
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
  if (options === undefined) return { preset: 'performance', targetDevice: 'ANY' };
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new QtkError('E_OPTION', `option ${OPTION} must be an object { preset, targetDevice, modelType, ignoredScope }, not ${JSON.stringify(options)}`, { option: OPTION });
  }
  const o = options as Record<string, unknown>;
  const known = ['preset', 'targetDevice', 'modelType', 'ignoredScope'];
  const unknown = Object.keys(o).find((k) => !known.includes(k));
  if (unknown !== undefined) {
    throw new QtkError('E_OPTION', `the openvino backend has no option ${OPTION}.${unknown} (options: ${known.join(', ')})`, { option: `${OPTION}.${unknown}` });
  }
  checkChoice('preset', o.preset, PRESETS);
  checkChoice('targetDevice', o.targetDevice, DEVICES);
  checkChoice('modelType', o.modelType, MODEL_TYPES);
  const modelType = o.modelType as ModelType | undefined;
  return {
    preset: (o.preset as Preset | undefined) ?? (modelType === 'transformer' ? 'mixed' : 'performance'),
    targetDevice: (o.targetDevice as TargetDevice | undefined) ?? 'ANY',
    ...(modelType && { modelType }),
    ...(o.ignoredScope !== undefined && { ignoredScope: checkIgnoredScope(o.ignoredScope) }),
  };
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
