/**
 * The quality report of `compareModels`: per-node and per-output error of a candidate
 * (quantized) model against its reference, worst first. In memory SQNR may be
 * +Infinity (equal tensors) or -Infinity (a NaN or Inf where the reference has none);
 * `compareReportToJson` gives the JSON form, where those are the strings 'Infinity'
 * and '-Infinity'.
 */
import { withJsonNumbers, type WithJsonNumbers } from './jsonNumbers.js';

/** Error of one candidate tensor against its reference tensor. */
export interface TensorError {
  /** Name in the reference. */
  tensor: string;
  /** Name of the compared candidate tensor (a DequantizeLinear output for a quantized value). */
  candidateTensor: string;
  /** 10·log10(Σx² / Σ(x−y)²) in dB; +Infinity when equal. */
  sqnrDb: number;
  /** Cosine similarity of the flattened tensors. */
  cosine: number;
  maxAbsError: number;
  /** Elements compared over all batches. */
  elements: number;
  /**
   * Model outputs whose last axis has 2 or more entries: the fraction of rows (every
   * index but the last) whose argmax along the last axis is the same on both sides,
   * e.g. how often a classifier's predicted class is unchanged.
   */
  top1Agreement?: number;
}

/** Error at the output of one candidate node. */
export interface NodeError extends TensorError {
  node: string;
  opType: string;
  /** Position in the candidate's topological order (Q/DQ nodes not counted). */
  order: number;
  /** SQNR of the activations the node reads, together (+Infinity when they are exact). */
  inputSqnrDb: number;
  /**
   * SQNR of the noise this node adds on its own: −10·log10(NSR(output) − NSR(inputs))
   * with NSR the noise-to-signal power ratio; +Infinity when the output's NSR is not
   * above the inputs' (none added, or averaging took off more than was added).
   */
  addedSqnrDb: number;
}

/** A full comparison. */
export interface CompareReport {
  batches: number;
  samples: number;
  /** Model outputs, lowest SQNR first. */
  outputs: TensorError[];
  /** Nodes touched by quantization, lowest SQNR first (ties in graph order). */
  nodes: NodeError[];
  /** Candidate nodes touched by quantization whose output the reference does not have. */
  unmatched: Array<{ node: string; opType: string; tensor: string }>;
  /** Node and model outputs that could not be compared (not float32), and why; non-float inputs are left out silently. */
  skipped: Array<{ tensor: string; reason: string }>;
}

/** The JSON form of a CompareReport: non-finite numbers as strings. */
export type CompareReportJson = WithJsonNumbers<CompareReport>;

/** The JSON-ready form of `report` (for `JSON.stringify`). */
export function compareReportToJson(report: CompareReport): CompareReportJson {
  return withJsonNumbers(report);
}

/** Orders by SQNR, lowest first; ties keep `order`. */
export function byWorstSqnr<T extends { sqnrDb: number; order?: number }>(a: T, b: T): number {
  if (a.sqnrDb !== b.sqnrDb) return a.sqnrDb < b.sqnrDb ? -1 : 1;
  return (a.order ?? 0) - (b.order ?? 0);
}
