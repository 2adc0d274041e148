/**
 * The `qtk quantize` flags that stand for QuantizeOptions fields: their help entries,
 * and their parsing into a QuantizeOptions holding only what the flags set (core's
 * `resolveOptions` fills in the rest). Defaults shown in help are those of the default backend.
 *
 * Example: `--method percentile --percentile 99.99 --per-tensor` is
 * `{ method: 'percentile', percentile: 99.99, perChannel: false }`.
 */
import { QtkError, resolveOptions, type CalibrationMethod, type QuantFormat, type QuantMode, type QuantType, type AnyQuantizeOptions, type WeightScheme } from '@qtk/core';
import { DEFAULT_BACKEND } from './backendFlag.js';
import { choiceOpt, listOpt, numberOpt, switchOpt, type OptionSpec, type ParsedArgs } from './args.js';

/** Quantization modes a flag may name. */
export const MODES: readonly QuantMode[] = ['static', 'dynamic', 'weight-only'];
/** Calibration methods a flag may name. */
export const METHODS: readonly CalibrationMethod[] = ['minmax', 'moving-average', 'entropy', 'percentile', 'mse', 'mean-minmax'];
/** Output formats a flag may name. */
export const FORMATS: readonly QuantFormat[] = ['qdq', 'qoperator'];
/** Integer types a flag may name. */
export const TYPES: readonly QuantType[] = ['int8', 'uint8', 'int16', 'uint16', 'int4', 'uint4'];
/** Weight schemes a flag may name. */
export const SCHEMES: readonly WeightScheme[] = ['uniform', 'log2', 'codebook'];

/** The option fields that have a flag: all but `version` (set by --config only) and the backend's options. */
export type FlagField = Exclude<keyof AnyQuantizeOptions, 'version' | 'backendOptions'>;

/** The flag (without `--`) that sets each QuantizeOptions field; `version` is set by --config only. */
export const FLAG_OF_FIELD: Readonly<Record<FlagField, string>> = {
  mode: 'mode',
  activationType: 'activation-type',
  weightType: 'weight-type',
  perChannel: 'per-channel',
  opTypes: 'op-types',
  exclude: 'exclude',
  method: 'method',
  percentile: 'percentile',
  sampleLimit: 'sample-limit',
  averagingConstant: 'averaging-constant',
  format: 'format',
  symmetricActivations: 'symmetric-activations',
  narrowRangeActivations: 'narrow-range-activations',
  symmetricWeights: 'asymmetric-weights',
  reduceRange: 'reduce-range',
  blockSize: 'block-size',
  weightScheme: 'weight-scheme',
  codebookSize: 'codebook-size',
  minOutputSqnrDb: 'min-output-sqnr',
  preprocess: 'no-preprocess',
  biasCorrection: 'no-bias-correction',
};

/** The two flags of each on/off field: [the flag for true, the flag for false]. */
const SWITCHES: Readonly<Partial<Record<FlagField, readonly [string, string]>>> = {
  perChannel: ['per-channel', 'per-tensor'],
  symmetricActivations: ['symmetric-activations', 'asymmetric-activations'],
  narrowRangeActivations: ['narrow-range-activations', 'full-range-activations'],
  symmetricWeights: ['symmetric-weights', 'asymmetric-weights'],
};

/**
 * The flag (without `--`) that gives `field` the value `value`: `per-tensor` for
 * `perChannel: false`, `per-channel` for `true`; the one flag of other fields.
 */
export function flagOf(field: FlagField, value?: unknown): string {
  const pair = SWITCHES[field];
  return pair ? pair[value === false ? 1 : 0] : FLAG_OF_FIELD[field];
}

const Q = 'quantization';
const M = 'calibration method (static mode)';
const W = 'weights';

/** Help entries of the option flags, with the defaults core's `resolveOptions` gives for the default backend. */
export function quantizeOptionSpecs(): Record<string, OptionSpec> {
  const d = resolveOptions({}, DEFAULT_BACKEND.defaults);
  const wo = resolveOptions({ mode: 'weight-only' }, DEFAULT_BACKEND.defaults);
  return {
    mode: { type: 'string', value: MODES.join('|'), group: Q, help: 'default: static with --calib, dynamic without' },
    format: { type: 'string', value: FORMATS.join('|'), group: Q, help: `QDQ pairs or QLinear* operators (default ${d.format})` },
    'activation-type': { type: 'string', value: 'TYPE', group: Q, help: `activation type, one of ${TYPES.filter((t) => !t.endsWith('4')).join(', ')} (default ${d.activationType})` },
    'weight-type': { type: 'string', value: 'TYPE', group: Q, help: `weight type, one of ${TYPES.join(', ')} (default ${d.weightType}; ${wo.weightType} in weight-only mode)` },
    'per-channel': { type: 'boolean', group: Q, help: `one weight scale per output channel${d.perChannel ? ' (default)' : ''}` },
    'per-tensor': { type: 'boolean', group: Q, help: `one scale per weight tensor${d.perChannel ? '' : ' (default)'}` },
    'symmetric-activations': { type: 'boolean', group: Q, help: `symmetric activation ranges (zero point at 0)${d.symmetricActivations ? ' (default)' : ''}` },
    'asymmetric-activations': { type: 'boolean', group: Q, help: `asymmetric activation ranges${d.symmetricActivations ? '' : ' (default)'}` },
    'narrow-range-activations': { type: 'boolean', group: Q, help: `integer activations without their lowest code: int8 [-127, 127], scale amax / 127, as TensorRT quantizes${d.narrowRangeActivations ? ' (default)' : ''}` },
    'full-range-activations': { type: 'boolean', group: Q, help: `integer activations on the whole grid, int8 [-128, 127]${d.narrowRangeActivations ? '' : ' (default)'}` },
    'symmetric-weights': { type: 'boolean', group: Q, help: 'symmetric weight ranges (default for signed weight types)' },
    'asymmetric-weights': { type: 'boolean', group: Q, help: 'asymmetric weight ranges (default for unsigned weight types)' },
    'reduce-range': { type: 'boolean', group: Q, help: 'use one bit less of range (CPUs without VNNI)' },
    'op-types': { type: 'string', value: 'A,B', group: Q, multiple: true, help: 'quantize only these op types, e.g. Conv,MatMul' },
    exclude: { type: 'string', value: 'NAME|/REGEX/', group: Q, multiple: true, help: 'node names or /regular expressions/ to keep in float; comma list' },
    'no-preprocess': { type: 'boolean', group: Q, help: 'skip shape inference, BatchNorm and constant folding before quantizing' },
    'no-bias-correction': { type: 'boolean', group: Q, help: 'keep Conv and Gemm biases as they are (static mode corrects them for the mean shift of rounded weights)' },
    'min-output-sqnr': { type: 'string', value: 'DB', group: Q, help: 'keep the most sensitive layers float until the outputs reach this SQNR (dB) against float' },
    method: { type: 'string', value: 'METHOD', group: M, help: `activation range method, one of ${METHODS.join(', ')} (default ${d.method})` },
    percentile: { type: 'string', value: 'P', group: M, help: `percentile kept by --method percentile (default ${d.percentile})` },
    'sample-limit': { type: 'string', value: 'N', group: M, help: `histogram methods count at most N values per activation and calibration sample, sampled inside the model (default ${d.sampleLimit}; 0 = every value)` },
    'averaging-constant': { type: 'string', value: 'A', group: M, help: `averaging constant of --method moving-average (default ${d.averagingConstant})` },
    'block-size': { type: 'string', value: 'N', group: W, help: `weights in blocks of N along the reduction axis; 0 = off (default ${d.blockSize}; ${wo.blockSize} in weight-only mode)` },
    'weight-scheme': { type: 'string', value: SCHEMES.join('|'), group: W, help: `how weights map to levels (default ${d.weightScheme})` },
    'codebook-size': { type: 'string', value: '16|256', group: W, help: `entries of --weight-scheme codebook (default ${d.codebookSize})` },
  };
}

/**
 * The QuantizeOptions the flags in `args` set (fields without a flag stay absent).
 * Bad values throw E_OPTION naming the flag; ranges, and options that do not apply to
 * the mode or method, are checked later by core (see `resolveChecked`).
 */
export function optionsFromFlags(args: ParsedArgs): AnyQuantizeOptions {
  const o: AnyQuantizeOptions = {};
  const set = <K extends FlagField>(key: K, value: AnyQuantizeOptions[K] | undefined) => {
    if (value !== undefined) o[key] = value;
  };
  set('mode', choiceOpt(args, 'mode', MODES));
  set('format', choiceOpt(args, 'format', FORMATS));
  set('activationType', choiceOpt(args, 'activation-type', TYPES));
  set('weightType', choiceOpt(args, 'weight-type', TYPES));
  for (const [field, [on, off]] of Object.entries(SWITCHES) as Array<[FlagField, readonly [string, string]]>) {
    set(field, switchOpt(args, on, off));
  }
  if (args.values['reduce-range'] === true) o.reduceRange = true;
  if (args.values['no-preprocess'] === true) o.preprocess = false;
  if (args.values['no-bias-correction'] === true) o.biasCorrection = false;
  set('opTypes', listOpt(args, 'op-types'));
  const exclude = listOpt(args, 'exclude');
  if (exclude) {
    for (const e of exclude) checkRegex(e, 'exclude');
    o.exclude = exclude;
  }
  set('method', choiceOpt(args, 'method', METHODS));
  set('percentile', numberOpt(args, 'percentile'));
  set('sampleLimit', numberOpt(args, 'sample-limit'));
  set('averagingConstant', numberOpt(args, 'averaging-constant'));
  set('minOutputSqnrDb', numberOpt(args, 'min-output-sqnr'));
  set('blockSize', numberOpt(args, 'block-size', { integer: true, min: 0 }));
  set('weightScheme', choiceOpt(args, 'weight-scheme', SCHEMES));
  set('codebookSize', numberOpt(args, 'codebook-size', { integer: true, min: 1 }));
  return o;
}

/** Throws E_OPTION when a `/regex/` item of --exclude (or a config) does not compile. */
export function checkRegex(item: string, option: string): void {
  if (!(item.length > 2 && item.startsWith('/') && item.endsWith('/'))) return;
  try {
    new RegExp(item.slice(1, -1));
  } catch (e) {
    throw new QtkError('E_OPTION', `--${option} '${item}' is not a valid regular expression: ${(e as Error).message}`, { option });
  }
}
