/**
 * The TensorRT backend's options as a front end shows them (`qtk quantize --backend
 * tensorrt --precision fp8`): the fields, and the reading of the values given together
 * with core's options into `TensorrtRunOptions`. Core options that TensorRT decides itself
 * (types, symmetry, format) are refused when given; `--method`, `--percentile` and
 * `--block-size` are core's flags, read here as TensorRT's calibrator and INT4 block length.
 */
import {
  QtkError, type AnyQuantizeOptions, type BackendFileValue, type BackendOptionInput, type BackendOptionResult,
  type BackendOptionSpec, type BackendOptionValue,
} from '@qtk/core';
import { DEFAULT_TRT_VERSION, type Int4Algorithm, type TensorrtPrecision } from './options.js';
import { INT4_ALGORITHMS, PRECISIONS, TENSORRT_METHODS, planTensorrt, type TensorrtPlan } from './quantizeOptions.js';
import type { TensorrtRunOptions } from './runOptions.js';

/** Core options TensorRT sets from the precision, and the value each must keep when given. */
const FIXED: ReadonlyArray<readonly [keyof AnyQuantizeOptions, (v: unknown) => boolean, string]> = [
  ['activationType', () => false, 'the activation type follows the precision'],
  ['weightType', () => false, 'the weight type follows the precision'],
  ['symmetricActivations', (v) => v === true, 'TensorRT takes symmetric activations only (zero point 0)'],
  ['symmetricWeights', (v) => v === true, 'TensorRT takes symmetric weights only (zero point 0)'],
  ['reduceRange', (v) => v === false, 'TensorRT uses the full int8 range'],
  ['format', (v) => v === 'qdq', 'TensorRT reads Q/DQ models only'],
  ['weightScheme', (v) => v === 'uniform', 'TensorRT takes uniform weights only'],
  ['codebookSize', () => false, 'TensorRT takes uniform weights only'],
];

/** The text of a file value (a calibration cache is ASCII text). */
function text(v: BackendOptionValue | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  return new TextDecoder().decode((v as BackendFileValue).bytes);
}

/** The settings in force, as one line of the run's summary. */
function summaryOf(plan: TensorrtPlan): string {
  switch (plan.precision) {
    case 'int8':
      return plan.source === 'cache'
        ? 'precision int8, ranges from the calibration cache (no calibration)'
        : `precision int8, calibrator ${plan.method}${plan.writeCache ? `, calibration cache for TensorRT ${plan.trtVersion}` : ''}`;
    case 'fp8':
      return 'precision fp8 (E4M3, opset 19), absolute-max activation scales';
    case 'int4':
      return `precision int4, weights in blocks of ${plan.blockSize}, ${plan.algorithm}`;
  }
}

/** Reads the values and core options given into the TensorRT backend's options (see the module comment). */
function toBackendOptions(input: BackendOptionInput): BackendOptionResult<TensorrtRunOptions> {
  const { values, options, label } = input;
  const precision = values.precision as TensorrtPrecision | undefined;
  const p = precision ?? 'int8';
  for (const [field, allowed, why] of FIXED) {
    const v = options[field];
    if (v !== undefined && !allowed(v)) {
      throw new QtkError('E_OPTION', `${label(field)}: ${why} (${label('precision')} ${p}); leave it out`, { option: field });
    }
  }
  const fromCache = text(values.fromCache);
  const runOptions: TensorrtRunOptions = {
    ...(precision !== undefined && { precision }),
    ...(values.calibrationCache !== undefined && { calibrationCache: true }),
    ...(values.trtVersion !== undefined && { trtVersion: values.trtVersion as string }),
    ...(fromCache !== undefined && { fromCache }),
    ...(typeof values.fromCache === 'object' && { fromCacheFile: (values.fromCache as BackendFileValue).path }),
    ...(values.int4Algorithm !== undefined && { int4Algorithm: values.int4Algorithm as Int4Algorithm }),
  };
  const plan = planTensorrt({
    ...runOptions, method: options.method, percentile: options.percentile, blockSize: options.blockSize,
    opTypes: options.opTypes, perChannel: options.perChannel, sampleLimit: options.sampleLimit,
    minOutputSqnrDb: options.minOutputSqnrDb, biasCorrection: options.biasCorrection, narrowRangeActivations: options.narrowRangeActivations,
  }, input.hasCalibrationData, label);
  const mode = plan.precision === 'int4' ? 'weight-only' : 'static';
  if (options.mode !== undefined && options.mode !== mode) {
    throw new QtkError('E_OPTION', `${label('mode')} ${options.mode}: TensorRT quantizes ${label('precision')} ${p} in ${mode} mode${p === 'int4' ? '' : ` (for weights only, ${label('precision')} int4)`}; leave ${label('mode')} out`, { option: 'mode' });
  }
  const calibrates = plan.precision === 'fp8' || (plan.precision === 'int8' && plan.source === 'calibration') || (plan.precision === 'int4' && plan.algorithm === 'awq_lite');
  return { backendOptions: runOptions, mode, calibration: calibrates ? 'needed' : 'unused', warnings: [], summary: summaryOf(plan) };
}

/** The TensorRT backend's option fields and their reading. */
export const tensorrtOptionSpec: BackendOptionSpec<TensorrtRunOptions> = {
  title: `TensorRT (--backend tensorrt; --method ${TENSORRT_METHODS.join('|')} picks the INT8 calibrator, default entropy)`,
  fields: [
    { name: 'precision', type: 'choice', choices: PRECISIONS, help: 'int8 (default): symmetric Q/DQ; fp8: E4M3 Q/DQ, the model upgraded to opset 19; int4: weights in blocks (--block-size 128|64, default 128), float activations' },
    { name: 'calibrationCache', type: 'string', file: 'write', placeholder: 'OUT.cache', help: "also write TensorRT's calibration cache of the calibrated INT8 ranges (int8 with --calib)" },
    { name: 'trtVersion', type: 'string', placeholder: 'X.Y.Z', help: `TensorRT version the calibration cache names (default ${DEFAULT_TRT_VERSION}); with --calibration-cache only` },
    { name: 'fromCache', type: 'string', file: 'read', placeholder: 'IN.cache', help: "INT8 Q/DQ with the ranges of this TensorRT calibration cache; no calibration (not with --calib)" },
    { name: 'int4Algorithm', type: 'choice', choices: INT4_ALGORITHMS, help: 'how int4 weights find their scales: awq_lite (default; needs --calib) or rtn (round to nearest)' },
  ],
  toBackendOptions,
};
