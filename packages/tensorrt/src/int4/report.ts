/** What `quantizeInt4` did: per-layer awq_lite choices and errors, and the nodes quantized or left float. */
import type { FloatNode, Model, QuantizedNode } from '@qtk/core';
import type { Int4Algorithm } from '../options.js';
import type { ScaleFold } from './foldScale.js';

/** awq_lite's choice for one MatMul/Gemm (errors are output MSEs on the calibration rows). */
export interface Int4LayerReport {
  /** Node name. */
  node: string;
  /** MatMul or Gemm. */
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
  /** The activation divided by the scale. */
  input: string;
  /** The layers reading it, whose weights were multiplied by the scale. */
  nodes: string[];
  /** Whether the division went into the producing node's constants or into a new Mul. */
  fold: ScaleFold;
  /** With fold 'parent': the name of the node whose constants took 1/s. */
  into?: string;
}

/** The report of `quantizeInt4`. */
export interface Int4Report {
  /** The algorithm that chose the scales. */
  algorithm: Int4Algorithm;
  /** Block length along the reduction axis. */
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
  /** The quantized copy of the model (opset 21, INT4 weights through blocked DequantizeLinear). */
  model: Model;
  /** What was quantized and how. */
  report: Int4Report;
}
