/**
 * Typed options, progress events and reports of the quantization pipeline.
 * Configs are plain JSON-serialisable data with a version, no untyped option bags.
 */
import type { Tensor } from '../ir/tensor.js';
import type { Executor } from '../exec/executor.js';

/** One calibration batch: input name → tensor. */
export type Feeds = Record<string, Tensor>;

/** How the model is quantized. */
export type QuantMode = 'static' | 'dynamic';

/** Calibration method for activation ranges. */
export type CalibrationMethod = 'minmax';

/** Integer types an activation or weight may take. */
export type QuantType = 'int8' | 'uint8';

/** Options of `quantizeModel`; every field has a default tuned for onnxruntime on x86. */
export interface QuantizeOptions {
  /** Config schema version (1). */
  version?: 1;
  /** 'static' needs calibration data; 'dynamic' quantizes weights only ahead of time. Default 'static'. */
  mode?: QuantMode;
  /** Activation type (static): default 'uint8' (the fast u8s8 path on x86 VNNI). */
  activationType?: QuantType;
  /** Weight type: default 'int8'. */
  weightType?: QuantType;
  /** Per-channel weight scales (default true). */
  perChannel?: boolean;
  /** Only quantize these op types (default: every op type the mode supports). */
  opTypes?: string[];
  /** Node names (or /regex/ strings) to keep in float. */
  exclude?: string[];
  /** Calibration method (default 'minmax'). */
  method?: CalibrationMethod;
  /** Run preprocessing (shape inference, BN folding, constant folding) first (default true). */
  preprocess?: boolean;
}

/** Progress of a long phase; `total` is undefined when unknown. */
export interface Progress {
  phase: 'preprocess' | 'calibrate' | 'convert';
  done: number;
  total?: number;
  /** Calibration samples seen so far. */
  samples?: number;
}

/** What the pipeline needs besides the model. */
export interface QuantizeContext {
  /** Runs the float model during calibration (static mode). */
  executor?: Executor;
  /** Calibration batches (static mode), consumed once. */
  calibration?: Iterable<Feeds> | AsyncIterable<Feeds>;
  /** Expected number of batches, for progress display. */
  calibrationBatches?: number;
  onProgress?: (p: Progress) => void;
}

/** A node left in float, and why. */
export interface FloatNode {
  name: string;
  opType: string;
  reason: string;
}

/** Summary of one quantization run. */
export interface QuantizeReport {
  mode: QuantMode;
  options: Required<Omit<QuantizeOptions, 'opTypes' | 'exclude'>> & { opTypes?: string[]; exclude?: string[] };
  quantized: Array<{ name: string; opType: string }>;
  float: FloatNode[];
  calibration?: { batches: number; samples: number; tensors: number; skippedNonFinite: number };
  /** Tensors whose observed range was zero (valid scale chosen). */
  zeroRange: string[];
  seconds: number;
}
