/**
 * What a quantization writes with: the QDQ dialect, writers of other formats, and the
 * weight-only node forms. Core holds the standard ones; a backend package offers its own
 * (see @qtk/onnxruntime/writers) and the caller passes them to `quantizeModel`.
 */
import type { Model } from '../ir/graph.js';
import type { QuantPlan } from '../plan/quantPlan.js';
import type { FormatResult } from './formatResult.js';
import type { QdqDialect } from './qdqDialect.js';
import type { DynamicWriter } from './dynamic.js';
import type { WeightOnlyWriter } from './weightOnly/writer.js';

/** Rewrites a QDQ model written from `plan` (in place) into another format, e.g. `format: 'qoperator'`. */
export interface FormatWriter {
  /** The `format` option value this writer answers to. */
  readonly format: string;
  /** Rewrites `model` in place; returns which nodes changed and which stayed QDQ with why. */
  write(model: Model, plan: QuantPlan): FormatResult;
}

/** The writers of one quantization; each field falls back to core's standard writer when missing. */
export interface QuantWriters {
  /** Domain choice for Q/DQ pairs (default: ONNX ops only). */
  qdq?: QdqDialect;
  /** Writers for `format` values other than 'qdq'. */
  formats?: readonly FormatWriter[];
  /** Runtime node forms for weight-only mode (default: blocked DequantizeLinear). */
  weightOnly?: WeightOnlyWriter;
  /** Runtime choices for dynamic mode's integer ops (default: ConvInteger weights of `weightType`). */
  dynamic?: DynamicWriter;
}

export type { ConvertedNode, FormatResult, KeptNode } from './formatResult.js';
