/**
 * The options of `quantize` (the package's one-call API, and `qtk quantize --backend
 * tensorrt`), and the checks that refuse a combination that would do nothing: a cache read
 * with calibration data as well, a cache written for INT4 weights, a TensorRT version with no
 * cache to write it in. Messages name options through `label`, so that the command line
 * names its flags (`--from-cache`) and the API its fields (`fromCache`).
 */
import { QtkError, type CalibrationMethod } from '@qtk/core';
import { DEFAULT_TRT_VERSION, type Int4Algorithm, type TensorrtMethod, type TensorrtPrecision } from './options.js';

/** The precisions, in the order help lists them. */
export const PRECISIONS: readonly TensorrtPrecision[] = ['int8', 'fp8', 'int4'];
/** TensorRT's INT8 calibrators by name, in the order help lists them. */
export const TENSORRT_METHODS: readonly TensorrtMethod[] = ['entropy', 'minmax', 'percentile', 'mse'];
/** The INT4 weight algorithms, the default first. */
export const INT4_ALGORITHMS: readonly Int4Algorithm[] = ['awq_lite', 'rtn'];

/** The INT4 block length when none is given (Model Optimizer's default). */
export const DEFAULT_INT4_BLOCK_SIZE = 128;

/**
 * What `quantize` is asked for. Example: `{ precision: 'int8', method: 'entropy',
 * calibrationCache: true }` calibrates and also returns the cache; `{ fromCache: text }`
 * places Q/DQ with the cache's ranges and runs no calibration.
 */
export interface TensorrtQuantizeOptions {
  /** 'int8' (default): symmetric Q/DQ; 'fp8': E4M3 Q/DQ (opset 19); 'int4': blocked weights, float activations. */
  precision?: TensorrtPrecision;
  /** INT8 calibrator (default 'entropy', TensorRT's EntropyCalibration2); calibrated INT8 only. */
  method?: TensorrtMethod;
  /** Percentile kept by method 'percentile'. */
  percentile?: number;
  /** Also return TensorRT's calibration cache of the INT8 activation ranges (`result.cache`). */
  calibrationCache?: boolean;
  /** TensorRT version the returned cache names in its header (default DEFAULT_TRT_VERSION); with `calibrationCache` only. */
  trtVersion?: string;
  /** A TensorRT calibration cache (its text): INT8 Q/DQ with its ranges, no calibration data. */
  fromCache?: string;
  /** Where `fromCache` was read from, for messages. */
  fromCacheFile?: string;
  /** INT4: how weights find their scales (default 'awq_lite', which needs calibration data). */
  int4Algorithm?: Int4Algorithm;
  /** INT4: block length along the reduction axis (default 128). */
  blockSize?: number;
  /** Node names (or /regex/ strings) to keep in float. */
  exclude?: string[];
  /** Quantize only these op types (INT8 and FP8). */
  opTypes?: string[];
  /** Run core's preprocessing first (default true). */
  preprocess?: boolean;
  /** INT8 and FP8: one weight scale per output channel (default true). */
  perChannel?: boolean;
  /** INT8 and FP8: core's histogram sampling per activation and sample (see core's `sampleLimit`). */
  sampleLimit?: number;
  /** INT8 and FP8: keep the most sensitive layers float until the outputs reach this SQNR (dB). */
  minOutputSqnrDb?: number;
  /** INT8: activations on the narrow grid [-127, 127], scale amax / 127, as TensorRT (the backend's default, true). */
  narrowRangeActivations?: boolean;
  /** INT8 and FP8: correct biases for the mean shift of rounded weights, from calibration data (core's default, true; off with `fromCache`, which has no data). */
  biasCorrection?: boolean;
}

/** Options of `TensorrtQuantizeOptions` that INT8 and FP8 read and INT4 does not. */
const ACTIVATION_FIELDS = ['opTypes', 'perChannel', 'sampleLimit', 'minOutputSqnrDb', 'biasCorrection', 'narrowRangeActivations'] as const;

/** `TensorrtQuantizeOptions` as a caller may give them: `method` any of core's calibration methods (checked). */
export type TensorrtOptionsGiven = Omit<TensorrtQuantizeOptions, 'method'> & { method?: CalibrationMethod };

/** What the options ask for, checked, with defaults filled in. */
export type TensorrtPlan =
  | { precision: 'int8'; source: 'calibration'; method: TensorrtMethod; writeCache: boolean; trtVersion: string }
  | { precision: 'int8'; source: 'cache'; cacheText: string }
  | { precision: 'fp8' }
  | { precision: 'int4'; algorithm: Int4Algorithm; blockSize: number };

/** How messages name options: a field of `TensorrtQuantizeOptions`, or `calibrationData`. */
export type OptionLabel = (name: string) => string;

/** `version` when it reads as a TensorRT version (`10.3.0`, `8.6.1.6`); E_OPTION naming the option otherwise. */
function checkVersion(version: string, label: OptionLabel): string {
  if (!/^\d+(\.\d+){1,3}$/.test(version)) {
    throw new QtkError('E_OPTION', `${label('trtVersion')} must be a TensorRT version such as ${DEFAULT_TRT_VERSION}, got '${version}'`, { option: 'trtVersion' });
  }
  return version;
}

/** E_OPTION: `what` (option names) would do nothing, because `why`. */
function nothing(option: string, text: string): QtkError {
  return new QtkError('E_OPTION', text, { option });
}

/**
 * Checks `o` (with `method` as the caller gave it, any of core's calibration methods) and
 * fills in defaults. `hasCalibrationData` tells whether calibration data came with it.
 * Throws E_OPTION naming the option at fault (`where.option` its field) for a value out of
 * range, or a combination in which an option would do nothing or the run could not go.
 */
export function planTensorrt(o: TensorrtOptionsGiven, hasCalibrationData: boolean, label: OptionLabel): TensorrtPlan {
  const precision = o.precision ?? 'int8';
  if (!PRECISIONS.includes(precision)) {
    throw new QtkError('E_OPTION', `${label('precision')} must be one of ${PRECISIONS.join(', ')}; got '${String(precision)}'`, { option: 'precision' });
  }
  const p = label('precision');
  if (o.method !== undefined && !(TENSORRT_METHODS as readonly string[]).includes(o.method)) {
    throw new QtkError('E_OPTION', `${label('method')} ${o.method}: TensorRT's calibrators are ${TENSORRT_METHODS.join(', ')}`, { option: 'method' });
  }
  if (o.trtVersion !== undefined) checkVersion(o.trtVersion, label);
  if (o.trtVersion !== undefined && !o.calibrationCache) {
    throw nothing('trtVersion', `${label('trtVersion')} names the TensorRT version in the cache ${label('calibrationCache')} writes; without it, it would do nothing`);
  }
  if (precision !== 'int4' && o.int4Algorithm !== undefined) {
    throw nothing('int4Algorithm', `${label('int4Algorithm')} applies to ${p} int4 only; ${precision} would not read it`);
  }
  if (precision !== 'int4' && o.blockSize !== undefined) {
    throw nothing('blockSize', `${label('blockSize')}: TensorRT takes blocked weights for ${p} int4 only; ${precision} weights are per channel`);
  }
  if (o.fromCache !== undefined) {
    if (precision !== 'int8') {
      throw nothing('fromCache', `${label('fromCache')}: a TensorRT calibration cache holds INT8 ranges; ${p} ${precision} would not read it`);
    }
    if (hasCalibrationData) {
      throw nothing('fromCache', `${label('fromCache')} takes the ranges from the cache, so ${label('calibrationData')} would not be calibrated on: give one of them`);
    }
    if (o.calibrationCache) {
      throw nothing('calibrationCache', `${label('calibrationCache')} with ${label('fromCache')} would write back the ranges read from the cache: give one of them`);
    }
    if (o.method !== undefined || o.percentile !== undefined) {
      const field = o.method !== undefined ? 'method' : 'percentile';
      throw nothing(field, `${label(field)} chooses how calibration finds ranges; with ${label('fromCache')} the ranges come from the cache and nothing is calibrated`);
    }
    if (o.biasCorrection || o.minOutputSqnrDb !== undefined) {
      const field = o.biasCorrection ? 'biasCorrection' : 'minOutputSqnrDb';
      throw nothing(field, `${label(field)} needs calibration data; with ${label('fromCache')} there is none`);
    }
    return { precision, source: 'cache', cacheText: o.fromCache };
  }
  if (precision === 'int8') {
    if (!hasCalibrationData) {
      throw new QtkError('E_OPTION', `${p} int8 needs activation ranges: calibration data (${label('calibrationData')}) or a TensorRT calibration cache (${label('fromCache')})`, { option: 'calibrationData' });
    }
    return { precision, source: 'calibration', method: (o.method as TensorrtMethod | undefined) ?? 'entropy', writeCache: !!o.calibrationCache, trtVersion: o.trtVersion ?? DEFAULT_TRT_VERSION };
  }
  if (o.calibrationCache) {
    throw nothing('calibrationCache', `${label('calibrationCache')}: TensorRT's calibration cache holds INT8 activation ranges; ${p} ${precision} ${precision === 'int4' ? 'quantizes weights only' : 'writes FP8 scales into the model'}, so there is none to write`);
  }
  if (precision === 'fp8') {
    if (o.method !== undefined || o.percentile !== undefined) {
      const field = o.method !== undefined ? 'method' : 'percentile';
      throw nothing(field, `${label(field)}: FP8 scales come from each activation's absolute maximum (TensorRT's FP8 calibration); ${p} fp8 would not use it`);
    }
    if (!hasCalibrationData) {
      throw new QtkError('E_OPTION', `${p} fp8 needs calibration data (${label('calibrationData')}) for its activation scales`, { option: 'calibrationData' });
    }
    return { precision };
  }
  if (o.method !== undefined || o.percentile !== undefined) {
    const field = o.method !== undefined ? 'method' : 'percentile';
    throw nothing(field, `${label(field)}: ${p} int4 quantizes weights only and calibrates no activation ranges`);
  }
  const foreign = ACTIVATION_FIELDS.find((f) => o[f] !== undefined);
  if (foreign) throw nothing(foreign, `${label(foreign)} applies to ${p} int8 and fp8; int4 quantizes MatMul and Gemm weights in blocks and would not read it`);
  const algorithm = o.int4Algorithm ?? 'awq_lite';
  if (!INT4_ALGORITHMS.includes(algorithm)) {
    throw new QtkError('E_OPTION', `${label('int4Algorithm')} must be one of ${INT4_ALGORITHMS.join(', ')}; got '${String(algorithm)}'`, { option: 'int4Algorithm' });
  }
  if (algorithm === 'awq_lite' && !hasCalibrationData) {
    throw new QtkError('E_OPTION', `${p} int4 with awq_lite (the default ${label('int4Algorithm')}) searches weight scales on calibration data: give ${label('calibrationData')}, or ${label('int4Algorithm')} rtn`, { option: 'calibrationData' });
  }
  return { precision, algorithm, blockSize: o.blockSize ?? DEFAULT_INT4_BLOCK_SIZE };
}
