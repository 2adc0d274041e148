/**
 * Typed options, progress events and reports of the quantization pipeline.
 * Configs are plain JSON-serialisable data with a version, no untyped option bags.
 */
import type { Tensor } from '../ir/tensor.js';
import type { Executor } from '../exec/executor.js';
import type { FormatResult } from '../convert/formatResult.js';
import type { JsonNumber } from '../compare/jsonNumbers.js';
import type { GivenRange } from '../observers/givenRange.js';

/** One calibration batch: input name → tensor. */
export type Feeds = Record<string, Tensor>;

/** How the model is quantized: static (calibrated activations), dynamic (activations at run time), weight-only. */
export type QuantMode = 'static' | 'dynamic' | 'weight-only';

/** Calibration method for activation ranges. */
export type CalibrationMethod = 'minmax' | 'moving-average' | 'entropy' | 'percentile' | 'mse' | 'mean-minmax';

/**
 * Types an activation or weight may take: integers (4-bit: weights only) or FP8 E4M3FN
 * ('float8e4m3fn', static QDQ only: symmetric, scale = amax / 448, a float8 zero point,
 * ONNX opset 19 Q/DQ). The names are the ONNX element types.
 */
export type QuantType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int4' | 'uint4' | 'float8e4m3fn';

/** Output format: QDQ (Q/DQ pairs around float ops) or QOperator (QLinearConv, QLinearMatMul, ...). */
export type QuantFormat = 'qdq' | 'qoperator';

/** How weights map to numbers: uniform steps, power-of-two levels, or a k-means codebook. */
export type WeightScheme = 'uniform' | 'log2' | 'codebook';

/**
 * Every option field with its meaning and default. Each mode reads a part of them
 * (`ModeFields`); the mode types below make a field the mode does not read a type error.
 */
export interface OptionFields {
  /** Config schema version (1). */
  version?: 1;
  /** Activation type (static): default 'uint8' (the fast u8s8 path on x86 VNNI). */
  activationType?: QuantType;
  /** Weight type: default 'int8' ('int4' in weight-only mode). */
  weightType?: QuantType;
  /** Per-channel weight scales (default true). */
  perChannel?: boolean;
  /** Only quantize these op types (default: every op type the mode supports). */
  opTypes?: string[];
  /** Node names (or /regex/ strings) to keep in float. */
  exclude?: string[];
  /** Calibration method (default 'mse'). */
  method?: CalibrationMethod;
  /** Percentile kept by method 'percentile' (default 99.999). */
  percentile?: number;
  /**
   * Most values per activation and calibration sample that a histogram method (entropy,
   * percentile, mse) counts, so a batch of N samples gets N times as many (ranges do not
   * depend on how the data is batched): larger activations are sampled inside the model, at a stride coprime
   * to every dimension and from a start that moves each batch, so over the calibration
   * set every element position is sampled alike (default 16384; 0 counts every value,
   * fetching whole activations). MinMax methods get in-model min/max and stay exact.
   * Calibration then copies a few values per tensor out of the runtime instead of every
   * activation, which keeps it fast and its memory flat.
   */
  sampleLimit?: number;
  /** Averaging constant of method 'moving-average' (default 0.01). */
  averagingConstant?: number;
  /** Output format (default 'qdq'). */
  format?: QuantFormat;
  /** Symmetric activation ranges (default false: asymmetric). */
  symmetricActivations?: boolean;
  /**
   * Integer activations on the narrow grid, one end dropped: symmetric int8 uses [-127, 127]
   * (scale amax / 127, as TensorRT quantizes) instead of [-128, 127] (amax / 127.5); uint8
   * uses [0, 254]. Default false; a backend may default it on.
   */
  narrowRangeActivations?: boolean;
  /** Symmetric weight ranges (default true for signed weight types). */
  symmetricWeights?: boolean;
  /** Use one bit less of range (for CPUs without VNNI; default false). */
  reduceRange?: boolean;
  /** Block size along the reduction axis for per-block weights (weight-only mode default 32; 0 = off). */
  blockSize?: number;
  /** Weight scheme (default 'uniform'). */
  weightScheme?: WeightScheme;
  /** Codebook entries for weightScheme 'codebook' (16 or 256; default 256). */
  codebookSize?: number;
  /**
   * Mixed precision: keep the most sensitive layers in float until the model outputs'
   * SQNR against float is at least this many dB (off when undefined).
   */
  minOutputSqnrDb?: number;
  /** Run preprocessing (shape inference, BN folding, constant folding) first (default true). */
  preprocess?: boolean;
  /**
   * Static mode: subtract from each quantized Conv and Gemm bias the mean shift that
   * rounding its weight causes, from the input channel means seen in calibration (default true).
   */
  biasCorrection?: boolean;
}

/** Fields every mode reads. */
export type CommonField = 'version' | 'weightType' | 'opTypes' | 'exclude' | 'preprocess';

/**
 * The fields each mode reads besides the common ones. `OPTION_SCOPES` holds the same
 * table for run-time checks (of JSON configs and JavaScript callers); a type test keeps
 * the two equal.
 */
export interface ModeFields {
  static:
    | 'activationType' | 'symmetricActivations' | 'narrowRangeActivations' | 'method' | 'percentile' | 'averagingConstant' | 'sampleLimit'
    | 'format' | 'reduceRange' | 'minOutputSqnrDb' | 'biasCorrection' | 'perChannel' | 'symmetricWeights' | 'blockSize';
  dynamic: 'perChannel';
  'weight-only': 'symmetricWeights' | 'blockSize' | 'weightScheme' | 'codebookSize';
}

/** The option fields mode `M` reads. */
export type FieldOf<M extends QuantMode> = CommonField | ModeFields[M];

/** Fields typed `never`: setting one is a type error. */
type Absent<K extends PropertyKey> = { [F in K]?: never };

/** The option fields mode `M` does not read. */
type ForeignField<M extends QuantMode> = Exclude<keyof OptionFields, FieldOf<M>>;

/**
 * The slot for a backend's own options: `backendOptions` of type `B` when the backend
 * declares options (`B` has keys), else absent. A backend declares them as an object
 * type, e.g. `{ convChannelMultiple?: number }`, and its users write
 * `QuantizeOptions<ThatType>`; core passes the object through to the backend unchanged.
 */
export type BackendSlot<B extends object> = [keyof B] extends [never] ? { backendOptions?: never } : { backendOptions?: B };

/** The options mode `M` reads; the others typed `never`. */
type OptionsOf<M extends QuantMode, B extends object> = Pick<OptionFields, FieldOf<M>> & Absent<ForeignField<M>> & BackendSlot<B>;

/** Static mode (the default): calibrated activation ranges. `B`: the backend's options. */
export type StaticQuantizeOptions<B extends object = {}> = { mode?: 'static' } & OptionsOf<'static', B>;

/** Dynamic mode: weights quantized ahead of time, activations at run time. */
export type DynamicQuantizeOptions<B extends object = {}> = { mode: 'dynamic' } & OptionsOf<'dynamic', B>;

/** Weight-only mode: 4- or 8-bit weights in blocks, float activations. */
export type WeightOnlyQuantizeOptions<B extends object = {}> = { mode: 'weight-only' } & OptionsOf<'weight-only', B>;

/**
 * Options of `quantizeModel`, keyed on `mode` (default 'static'); every field has a default
 * tuned for onnxruntime on x86. A field the mode does not read is a type error
 * (`{ mode: 'dynamic', method: 'mse' }`); `B` types the backend's own options (`BackendSlot`).
 */
export type QuantizeOptions<B extends object = {}> = StaticQuantizeOptions<B> | DynamicQuantizeOptions<B> | WeightOnlyQuantizeOptions<B>;

/**
 * Options as an untyped source gives them (a JSON config, JavaScript, merged command-line
 * flags): every field of every mode. `resolveOptions` and `asQuantizeOptions` check them at
 * run time against OPTION_SCOPES.
 */
export type AnyQuantizeOptions<B extends object = {}> = { mode?: QuantMode } & OptionFields & BackendSlot<B>;

/** Fields that stay optional once resolved. */
type UnresolvedField = 'opTypes' | 'exclude' | 'minOutputSqnrDb';

/** Mode `M`'s options with every default filled in (the optional ones stay optional); the mode's foreign fields absent. */
type ResolvedOf<M extends QuantMode, B extends object> = { mode: M }
  & Required<Pick<OptionFields, Exclude<FieldOf<M>, UnresolvedField>>>
  & Pick<OptionFields, Extract<FieldOf<M>, UnresolvedField>>
  & Absent<ForeignField<M>> & BackendSlot<B>;

/** Static options with every default filled in. */
export type ResolvedStaticOptions<B extends object = {}> = ResolvedOf<'static', B>;

/** Dynamic options with every default filled in. */
export type ResolvedDynamicOptions<B extends object = {}> = ResolvedOf<'dynamic', B>;

/** Weight-only options with every default filled in. */
export type ResolvedWeightOnlyOptions<B extends object = {}> = ResolvedOf<'weight-only', B>;

/** Options with every default filled in, keyed on `mode`; the fields the mode does not read are absent. */
export type ResolvedOptions<B extends object = {}> = ResolvedStaticOptions<B> | ResolvedDynamicOptions<B> | ResolvedWeightOnlyOptions<B>;

/** The resolved type for options `O`: by its mode when the type tells, else the union. */
export type ResolvedFor<O, B extends object = {}> =
  O extends { mode: 'dynamic' } ? ResolvedDynamicOptions<B>
    : O extends { mode: 'weight-only' } ? ResolvedWeightOnlyOptions<B>
      : 'mode' extends keyof O ? (O extends { mode?: 'static' } ? ResolvedStaticOptions<B> : ResolvedOptions<B>)
        : ResolvedStaticOptions<B>;

/** Progress of a long phase; `total` is undefined when unknown. */
export interface Progress {
  /**
   * `calibrate`: batches run; `mixed-precision`: search steps measured (each converts
   * and compares the model again); `compare`: batches compared; `backend`: a step of a
   * backend's own quantize flow, told in `detail`.
   */
  phase: 'preprocess' | 'calibrate' | 'convert' | 'mixed-precision' | 'compare' | 'backend';
  done: number;
  total?: number;
  /** Calibration samples seen so far. */
  samples?: number;
  /** Where a step left things, in words: `8 nodes float, output SQNR 31.20 dB`. */
  detail?: string;
}

/** What the pipeline needs besides the model. */
export interface QuantizeContext {
  /** Runs the float model during calibration (static mode). */
  executor?: Executor;
  /** Calibration batches (static mode), consumed once. */
  calibration?: Iterable<Feeds> | AsyncIterable<Feeds>;
  /**
   * Static mode: activation ranges to quantize with instead of calibrated ones, tensor
   * name → per-tensor `{ min, max }` (say, read from a TensorRT calibration cache). Every
   * activation the backend's policy quantizes needs an entry (else E_OPTION naming the
   * tensors without one); entries for tensors the model lacks are listed in
   * `report.warnings`, entries for values left float are unused. The scale and zero point
   * follow from each range and the activation spec as for an observed range. Without
   * `calibration` nothing is run and no executor is needed; bias correction then has no
   * channel means and is skipped (a warning says so), and `minOutputSqnrDb` is an E_OPTION
   * error. With `calibration`, the batches serve bias correction and the mixed-precision
   * search only.
   */
  ranges?: ReadonlyMap<string, GivenRange>;
  /** Expected number of batches, for progress display. */
  calibrationBatches?: number;
  onProgress?: (p: Progress) => void;
  /**
   * Memory budget for what the model can make large: the largest single value
   * preprocessing may materialise, in bytes (default `DEFAULT_MAX_TENSOR_BYTES`, 1 GiB).
   * A constant subgraph with a larger result is left in the graph, not folded.
   */
  maxTensorBytes?: number;
}

/** A node the pipeline quantized. */
export interface QuantizedNode {
  name: string;
  opType: string;
  /**
   * The If/Loop/Scan body holding the node, as `node.attribute` steps from the main graph
   * joined by ' > ' (e.g. `If_0.then_branch`); absent for nodes of the main graph.
   */
  graph?: string;
}

/** A node left in float, and why. */
export interface FloatNode extends QuantizedNode {
  reason: string;
}

/** What a one-pass conversion (dynamic, weight-only) did per node, bodies included. */
export interface OnePassResult {
  quantized: QuantizedNode[];
  float: FloatNode[];
}

/**
 * Something given that did part of what was asked, or nothing: an exclude entry that
 * matches no node, an op type the model does not have. `option` names the field.
 */
export interface QuantizeWarning {
  option?: keyof QuantizeOptions;
  message: string;
}

/** Summary of one quantization run. */
export interface QuantizeReport {
  mode: QuantMode;
  options: ResolvedOptions;
  quantized: QuantizedNode[];
  float: FloatNode[];
  /** What in the options selected nothing (see `checkSelection`); empty when all did. */
  warnings: QuantizeWarning[];
  calibration?: { batches: number; samples: number; tensors: number; skippedNonFinite: number };
  /** Tensors whose observed range was zero (valid scale chosen). */
  zeroRange: string[];
  /** The mixed-precision search, when `minOutputSqnrDb` was set. */
  mixedPrecision?: MixedPrecisionReport;
  seconds: number;
  /** With format 'qoperator': nodes rewritten to QOperator form, and quantized nodes left in QDQ form with the reason. */
  qoperator?: FormatResult;
}

/**
 * One step of the mixed-precision search: nodes newly kept float and the SQNR reached,
 * or (`restored`) a node tried quantized again after the bound was met.
 */
export interface MixedPrecisionStep {
  /** Nodes kept float at this step (none at step 0, the full INT8 model). */
  added: string[];
  /** A node of the last batch quantized again for this step's measurement. */
  restored?: string[];
  /** For a `restored` step: whether the bound held, so the node stays quantized. */
  accepted?: boolean;
  /** Nodes kept float by the search in the model this step measured. */
  floatNodes: number;
  /** Lowest SQNR over the model outputs against the float model, dB ('Infinity' when equal). */
  outputSqnrDb: JsonNumber;
}

/** What mixed precision did: the bound, the steps, the nodes it kept float. */
export interface MixedPrecisionReport {
  minOutputSqnrDb: number;
  /** True when the returned model's outputs reach the bound. */
  reached: boolean;
  /** True when every node that could run quantized was kept float (the model is float). */
  allFloat: boolean;
  /** Nodes kept float, most sensitive first. */
  keptFloat: string[];
  steps: MixedPrecisionStep[];
  /**
   * Calibration batches and samples the measurements ran on: the first 8 calibration
   * batches (MIXED_PRECISION_BATCHES), kept in memory during calibration for the search.
   */
  batches: number;
  samples: number;
  /** Seconds the search took (its conversions and comparisons). */
  seconds: number;
  note?: string;
}
