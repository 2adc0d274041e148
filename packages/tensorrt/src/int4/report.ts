/** What `quantizeInt4` did: per-layer awq_lite choices and errors, and the nodes quantized or left float. */
import type { FloatNode, Model, QuantizedNode } from '@qtk/core';
import type { Int4Algorithm } from '../options.js';
import type { ScaleFold } from './foldScale.js';

/** awq_lite's choice for one MatMul/Gemm (errors are output MSEs on the calibration rows). */
export interface Int4LayerReport {
  node: string;
  opType: string;
  /** Name of the float weight it read. */
  weight: string;
  /** The activation it reads (its group's input). */
  input: string;
  /** Alpha of least error for this layer alone. */
  alpha: number;
  /** Output MSE at that alpha. */
  mse: number;
  /** Output MSE of plain round-to-nearest on the same rows. */
  rtnMse: number;
  /** Output MSE with the scale written: the mean of the best scales of every layer reading `input`. */
  writtenMse: number;
}

/** One scaled input: the layers sharing its scale and where the division by the scale went. */
export interface Int4ScaledInput {
  input: string;
  nodes: string[];
  fold: ScaleFold;
}

/** The report of `quantizeInt4`. */
export interface Int4Report {
  algorithm: Int4Algorithm;
  blockSize: number;
  /** awq_lite per layer (empty for rtn). */
  layers: Int4LayerReport[];
  /** awq_lite per scaled input (empty for rtn). */
  scaledInputs: Int4ScaledInput[];
  /** Nodes whose weight became INT4 blocks. */
  quantized: QuantizedNode[];
  /** MatMul/Gemm nodes left float, and why. */
  float: FloatNode[];
}

/** The result of `quantizeInt4`: a new model (the input is not changed) and its report. */
export interface Int4Result {
  model: Model;
  report: Int4Report;
}
