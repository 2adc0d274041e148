/** Option checks and defaults: the user's options over the backend's defaults over core's. */
import { QtkError } from '../errors/QtkError.js';
import type { BackendDefaults } from '../backend/backend.js';
import type { ObserverConfig } from '../spec/quantSpec.js';
import { checkFloat8Options, float8Use, FLOAT8_DEFAULT_METHOD } from './float8Options.js';
import { appliesInMode } from './optionScopes.js';
import type { AnyQuantizeOptions, OptionFields, QuantMode, QuantizeOptions, ResolvedFor, ResolvedStaticOptions } from './types.js';

const MODES = ['static', 'dynamic', 'weight-only'];
const TYPES = ['int8', 'uint8', 'int16', 'uint16', 'int4', 'uint4', 'float8e4m3fn'];
const METHODS = ['minmax', 'moving-average', 'entropy', 'percentile', 'mse', 'mean-minmax'];
const FORMATS = ['qdq', 'qoperator'];
const SCHEMES = ['uniform', 'log2', 'codebook'];

/** Throws E_OPTION when `value` is set and not one of `allowed`. */
function checkChoice(field: keyof QuantizeOptions, value: unknown, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value as string)) {
    throw new QtkError('E_OPTION', `option ${field}='${String(value)}' is not one of: ${allowed.join(', ')}`, { option: field });
  }
}

/** Throws E_OPTION when `value` is set and not a number in [lo, hi]. */
function checkNumber(field: keyof QuantizeOptions, value: unknown, lo: number, hi: number): void {
  if (value !== undefined && (typeof value !== 'number' || !(value >= lo && value <= hi))) {
    throw new QtkError('E_OPTION', `option ${field}=${String(value)} must be a number in [${lo}, ${hi}]`, { option: field });
  }
}

/** Default `sampleLimit`: values per activation and calibration sample a histogram counts. */
export const DEFAULT_SAMPLE_LIMIT = 16384;

/**
 * Options with every default filled in: what `o` sets, else what the backend's `defaults`
 * set (say, uint8 activations for a runtime with a fast u8s8 path), else core's own: static
 * QDQ, int8 asymmetric activations, int8 symmetric per-channel weights, MSE-optimal activation
 * ranges (on PP-OCRv4 rec MinMax ranges, set by rare outliers, cost about 14 points of
 * character error rate) and bias correction of quantized Conv and Gemm weights.
 * Weight-only mode defaults to int4 weights in blocks of 32, whatever the backend. FP8
 * ('float8e4m3fn') types default to symmetric MinMax ranges, QDQ and no reduced range,
 * whatever the backend, and refuse what FP8 cannot take (see float8Options.ts). The result holds the fields
 * the mode reads (OPTION_SCOPES), plus `backendOptions` when given; fields of other modes
 * are left out. Invalid values are E_OPTION errors naming the field.
 */
export function resolveOptions<B extends object = {}, O extends AnyQuantizeOptions<B> = AnyQuantizeOptions<B>>(o: O, defaults: BackendDefaults = {}): ResolvedFor<O, B> {
  checkChoice('mode', o.mode, MODES);
  checkChoice('activationType', o.activationType, TYPES);
  checkChoice('weightType', o.weightType, TYPES);
  checkChoice('method', o.method, METHODS);
  checkChoice('format', o.format, FORMATS);
  checkChoice('weightScheme', o.weightScheme, SCHEMES);
  checkNumber('percentile', o.percentile, 50, 100);
  checkNumber('averagingConstant', o.averagingConstant, 0, 1);
  checkNumber('blockSize', o.blockSize, 0, 1 << 20);
  checkNumber('sampleLimit', o.sampleLimit, 0, 2 ** 31);
  if (o.sampleLimit !== undefined && !Number.isInteger(o.sampleLimit)) {
    throw new QtkError('E_OPTION', `option sampleLimit=${o.sampleLimit} must be a whole number (0 = count every value)`, { option: 'sampleLimit' });
  }
  checkNumber('minOutputSqnrDb', o.minOutputSqnrDb, -1000, 1000);
  if (o.codebookSize !== undefined && o.codebookSize !== 16 && o.codebookSize !== 256) {
    throw new QtkError('E_OPTION', `option codebookSize=${String(o.codebookSize)} must be 16 or 256`, { option: 'codebookSize' });
  }
  if (o.activationType === 'int4' || o.activationType === 'uint4') {
    throw new QtkError('E_OPTION', `option activationType='${o.activationType}': 4-bit types are for weights only`, { option: 'activationType' });
  }
  if (o.blockSize !== undefined && o.blockSize !== 0 && (o.blockSize < 16 || (o.blockSize & (o.blockSize - 1)) !== 0)) {
    throw new QtkError('E_OPTION', `option blockSize=${o.blockSize} must be 0 or a power of two ≥ 16`, { option: 'blockSize' });
  }
  if (o.version !== undefined && o.version !== 1) throw new QtkError('E_OPTION', `options version ${o.version} is not supported (1)`, { option: 'version' });
  const backendOptions: unknown = o.backendOptions;
  if (backendOptions !== undefined && (typeof backendOptions !== 'object' || backendOptions === null || Array.isArray(backendOptions))) {
    throw new QtkError('E_OPTION', `option backendOptions must be an object of the backend's options, not ${JSON.stringify(backendOptions)}`, { option: 'backendOptions' });
  }
  const mode = o.mode ?? 'static';
  const d = defaults;
  const weightType = o.weightType ?? (mode === 'weight-only' ? 'int4' : d.weightType ?? 'int8');
  const activationType = o.activationType ?? d.activationType ?? 'int8';
  const fp8 = float8Use(mode, activationType, weightType);
  checkFloat8Options(o, mode, fp8);
  const all: Required<Omit<OptionFields, 'opTypes' | 'exclude' | 'minOutputSqnrDb'>> & Pick<OptionFields, 'opTypes' | 'exclude' | 'minOutputSqnrDb'> & { mode: QuantMode } = {
    version: 1,
    mode,
    activationType,
    weightType,
    perChannel: o.perChannel ?? d.perChannel ?? true,
    method: o.method ?? (fp8.activations ? FLOAT8_DEFAULT_METHOD : d.method ?? 'mse'),
    percentile: o.percentile ?? 99.999,
    averagingConstant: o.averagingConstant ?? 0.01,
    sampleLimit: o.sampleLimit ?? DEFAULT_SAMPLE_LIMIT,
    format: o.format ?? (fp8.activations || fp8.weights ? 'qdq' : d.format ?? 'qdq'),
    symmetricActivations: o.symmetricActivations ?? (fp8.activations || (d.symmetricActivations ?? false)),
    narrowRangeActivations: o.narrowRangeActivations ?? (!fp8.activations && (d.narrowRangeActivations ?? false)),
    symmetricWeights: o.symmetricWeights ?? (fp8.weights || ((mode === 'weight-only' ? undefined : d.symmetricWeights) ?? weightType.startsWith('int'))),
    reduceRange: o.reduceRange ?? (!fp8.activations && !fp8.weights && (d.reduceRange ?? false)),
    blockSize: o.blockSize ?? (mode === 'weight-only' ? 32 : 0),
    weightScheme: o.weightScheme ?? 'uniform',
    codebookSize: o.codebookSize ?? 256,
    preprocess: o.preprocess ?? true,
    biasCorrection: o.biasCorrection ?? true,
    opTypes: o.opTypes,
    exclude: o.exclude,
    minOutputSqnrDb: o.minOutputSqnrDb,
  };
  const resolved: Record<string, unknown> = Object.fromEntries(Object.entries(all).filter(([field]) => appliesInMode(field, mode)));
  if (backendOptions !== undefined) resolved.backendOptions = backendOptions;
  return resolved as ResolvedFor<O, B>;
}

/** The observer config a calibration method stands for (histograms sized for `bits`-bit activations). */
export function observerForMethod(o: Pick<ResolvedStaticOptions, 'method' | 'percentile' | 'averagingConstant'>, bits: number): ObserverConfig {
  const quantizedBins = 2 ** (Math.min(bits, 8) - 1);
  switch (o.method) {
    case 'minmax': return { kind: 'minmax' };
    case 'moving-average': return { kind: 'movingAverageMinMax', averagingConstant: o.averagingConstant };
    case 'mean-minmax': return { kind: 'meanMinMax' };
    case 'entropy': return { kind: 'histogram', strategy: 'entropy', bins: 2048, quantizedBins, startBin: quantizedBins };
    case 'percentile': return { kind: 'histogram', strategy: 'percentile', bins: 2048, percentile: o.percentile };
    case 'mse': return { kind: 'histogram', strategy: 'mse', bins: 2048 };
  }
}
