/**
 * The OpenVINO backend's options as a front end shows them (`qtk quantize --backend
 * openvino --preset mixed`): NNCF's `quantize` settings, the ignored scope, and accuracy
 * control (`--validation`, `--metric`, `--max-drop`). NNCF decides types, symmetry and
 * ranges from the preset, so core's own quantize options are refused with this backend.
 */
import {
  QtkError, type AnyQuantizeOptions, type BackendDataValue, type BackendFileValue, type BackendModuleValue,
  type BackendOptionInput, type BackendOptionResult, type BackendOptionSpec,
} from '@qtk/core';
import type { DropType } from '../accuracyControl/types.js';
import type { IgnoredScope } from '../ignoredScope/ignoredScope.js';
import type { ModelType, Preset, TargetDevice } from '../options.js';
import { DEFAULT_SUBSET_SIZE } from '../quantize.js';
import { accuracyMetric, moduleMetric, readLabels } from './metric.js';
import type { FrontEndAccuracyControl, OpenvinoRunOptions } from './runOptions.js';

/** NNCF's default `max_drop`. */
export const DEFAULT_MAX_DROP = 0.01;

/** Core options given that this backend reads: static mode only. */
function refuseCoreOptions(options: AnyQuantizeOptions, label: (name: string) => string): void {
  for (const [field, v] of Object.entries(options)) {
    if (v === undefined || field === 'version' || field === 'backendOptions') continue;
    if (field === 'mode' && v === 'static') continue;
    const hint = field === 'exclude' ? '; keep nodes float with --ignored-scope-names, --ignored-scope-patterns or --ignored-scope-types'
      : field === 'mode' ? '; NNCF quantizes statically'
      : field === 'biasCorrection' ? '; fast bias correction is on unless --no-fast-bias-correction'
      : '; the preset and NNCF\'s range estimators decide it';
    throw new QtkError('E_OPTION', `${label(field)}${field === 'mode' ? ` ${String(v)}` : ''}: --backend openvino takes NNCF's settings (--preset, --subset-size, ...), not this option${hint}`, { option: field });
  }
}

/** The ignored scope of the three list flags, or undefined when none is given. */
function ignoredScopeOf(values: BackendOptionInput['values']): IgnoredScope | undefined {
  const list = (k: string) => values[k] as readonly string[] | undefined;
  const names = list('ignoredScopeNames');
  const patterns = list('ignoredScopePatterns');
  const types = list('ignoredScopeTypes');
  if (!names && !patterns && !types) return undefined;
  for (const p of patterns ?? []) {
    try {
      new RegExp(p);
    } catch (e) {
      throw new QtkError('E_OPTION', `--ignored-scope-patterns '${p}' is not a regular expression: ${(e as Error).message}`, { option: 'ignoredScopePatterns' });
    }
  }
  return { ...(names && { names: [...names] }), ...(patterns && { patterns: [...patterns] }), ...(types && { types: [...types] }) };
}

/** Accuracy control from `--validation`, `--metric`, `--max-drop`, `--drop-type`, `--labels`; undefined without them. */
function accuracyControlOf(input: BackendOptionInput): FrontEndAccuracyControl | undefined {
  const { values, label } = input;
  const validation = values.validation as BackendDataValue | undefined;
  const metric = values.metric as string | BackendModuleValue | undefined;
  const maxDrop = values.maxDrop as number | undefined;
  const labels = values.labels as BackendFileValue | undefined;
  if (!validation) {
    const given = (['metric', 'maxDrop', 'dropType', 'labels'] as const).filter((k) => values[k] !== undefined);
    if (given.length) {
      throw new QtkError('E_OPTION', `${given.map(label).join(', ')} ${given.length > 1 ? 'apply' : 'applies'} to accuracy control, which needs ${label('validation')} DATA; without it ${given.length > 1 ? 'they' : 'it'} would do nothing`, { option: given[0]! });
    }
    return undefined;
  }
  if (metric === undefined) {
    throw new QtkError('E_OPTION', `${label('validation')} is measured with a metric: give ${label('metric')} accuracy (with ${label('labels')}) or ${label('metric')} MODULE.mjs`, { option: 'metric' });
  }
  if (maxDrop !== undefined && !(maxDrop >= 0)) {
    throw new QtkError('E_OPTION', `${label('maxDrop')} ${maxDrop}: give the largest drop of the metric accepted, a number ≥ 0 (default ${DEFAULT_MAX_DROP})`, { option: 'maxDrop' });
  }
  let m;
  if (metric === 'accuracy') {
    if (!labels) throw new QtkError('E_OPTION', `${label('metric')} accuracy compares the first output's argmax with a label per sample: give ${label('labels')} LABELS.npy`, { option: 'labels' });
    m = accuracyMetric(readLabels(labels, label('labels')), labels.path, label('labels'));
  } else {
    const mod = metric as BackendModuleValue;
    if (labels) throw new QtkError('E_OPTION', `${label('labels')} is read by ${label('metric')} accuracy only; ${label('metric')} '${mod.path}' would not use it`, { option: 'labels' });
    m = moduleMetric(mod, label('metric'));
  }
  return { validation, metric: m, maxDrop: maxDrop ?? DEFAULT_MAX_DROP, dropType: (values.dropType as DropType | undefined) ?? 'absolute' };
}

/** Reads the values given into the OpenVINO plugin's options (see the module comment). */
function toBackendOptions(input: BackendOptionInput): BackendOptionResult<OpenvinoRunOptions> {
  const { values, label } = input;
  refuseCoreOptions(input.options, label);
  const subsetSize = values.subsetSize as number | undefined;
  if (subsetSize !== undefined && subsetSize < 1) {
    throw new QtkError('E_OPTION', `${label('subsetSize')} ${subsetSize}: give a number of calibration samples ≥ 1`, { option: 'subsetSize' });
  }
  const ignoredScope = ignoredScopeOf(values);
  const accuracyControl = accuracyControlOf(input);
  const preset = values.preset as Preset | undefined;
  const modelType = values.modelType as ModelType | undefined;
  const targetDevice = values.targetDevice as TargetDevice | undefined;
  const fastBiasCorrection = values.noFastBiasCorrection !== true;
  const backendOptions: OpenvinoRunOptions = {
    ...(preset && { preset }), ...(targetDevice && { targetDevice }), ...(modelType && { modelType }), ...(ignoredScope && { ignoredScope }),
    ...(subsetSize !== undefined && { subsetSize }), fastBiasCorrection, ...(accuracyControl && { accuracyControl }),
    label,
  };
  const summary = [
    `preset ${preset ?? (modelType === 'transformer' ? 'mixed' : 'performance')}`, `target device ${targetDevice ?? 'ANY'}`,
    ...(modelType ? [`model type ${modelType}`] : []),
    `subset size ${subsetSize ?? DEFAULT_SUBSET_SIZE}`, `fast bias correction ${fastBiasCorrection ? 'on' : 'off'}`,
    ...(accuracyControl ? [`accuracy control: ${accuracyControl.metric.label}, max drop ${accuracyControl.maxDrop} (${accuracyControl.dropType})`] : []),
  ].join(', ');
  return { backendOptions, mode: 'static', calibration: 'needed', warnings: [], summary };
}

/** The OpenVINO backend's options for front ends. */
export const openvinoOptionSpec: BackendOptionSpec<OpenvinoRunOptions> = {
  title: 'OpenVINO (--backend openvino; NNCF\'s quantize and quantize_with_accuracy_control)',
  fields: [
    { name: 'preset', type: 'choice', choices: ['performance', 'mixed'], help: 'performance: symmetric int8 activations (default); mixed: asymmetric activations (default with --model-type transformer)' },
    { name: 'targetDevice', type: 'choice', choices: ['ANY', 'CPU', 'GPU', 'NPU'], help: 'device whose hardware configuration places the quantizers (default ANY)' },
    { name: 'modelType', type: 'choice', choices: ['transformer'], help: 'NNCF\'s transformer rules (norms, attention output and Softmax·V stay float)' },
    { name: 'subsetSize', type: 'integer', help: `calibration samples used, the first N of --calib (default ${DEFAULT_SUBSET_SIZE})` },
    { name: 'noFastBiasCorrection', type: 'boolean', help: 'leave Conv and Gemm biases as they are (default: corrected for the shift rounded weights cause)' },
    { name: 'ignoredScopeNames', type: 'list', help: 'node names kept float (each must match a node)' },
    { name: 'ignoredScopePatterns', type: 'list', placeholder: 'RE', help: 'regular expressions matched at the start of node names; matching nodes stay float' },
    { name: 'ignoredScopeTypes', type: 'list', placeholder: 'Op', help: 'op types kept float' },
    { name: 'validation', type: 'string', file: 'data', placeholder: 'DATA', help: 'validation data for accuracy control, read as --calib is (same data flags), one sample per item' },
    { name: 'metric', type: 'string', file: 'module', choices: ['accuracy'], placeholder: 'accuracy|MODULE.mjs', help: 'higher is better: accuracy (top-1 of the first output against --labels), or a module default-exporting async (run, dataset) => number' },
    { name: 'maxDrop', type: 'number', help: `largest drop of the metric accepted; nodes that hurt most go back to float until it holds (default ${DEFAULT_MAX_DROP})` },
    { name: 'dropType', type: 'choice', choices: ['absolute', 'relative'], help: 'absolute: float − quantized (default); relative: divided by |float|' },
    { name: 'labels', type: 'string', file: 'read', placeholder: 'LABELS.npy', help: 'class index per --validation sample, for --metric accuracy' },
  ],
  toBackendOptions,
};
