/**
 * Op contracts: what an op's inputs mean for quantization, independent of any backend.
 * Example: Gemm with transB=1 reads its weight B [N, K] with output channels on axis 0 and
 * sums over axis 1; its bias C [N] adds to those channels.
 */
import type { Node } from '../ir/graph.js';

/**
 * What an op does to values, as a placement policy sees it:
 * - `linear`: a weighted sum over a reduction axis (Conv, Gemm, MatMul); weights and bias inputs.
 * - `passthrough`: every output value is a value of the first input (Reshape, Split, MaxPool,
 *   Gather...), so the output may share the input's scale and zero point. Pad and Resize are
 *   passthrough in their default modes only (zero padding, nearest or linear resizing).
 * - `merge`: output values are values of several inputs with their own ranges (Concat, Where).
 * - `elementwise`: arithmetic on one or more inputs (Add, Mul, Sqrt...): a new range.
 * - `activation`: a fixed nonlinearity of one input (Relu, Sigmoid, Softmax...): a new range.
 * - `normalization`: statistics of the input rescale it (LayerNormalization...): a new range.
 * - `pool`: averages windows of the input (AveragePool...): a new range.
 * - `reduce`: sums or averages along axes (ReduceMean, ReduceSum, CumSum): a new range.
 * - `select`: outputs indices of chosen input values (ArgMax, ArgMin), never float values.
 * - `other`: outputs that are not float data (Shape, Size, comparisons): never quantized.
 */
export type OpRole =
  | 'linear'
  | 'passthrough'
  | 'merge'
  | 'elementwise'
  | 'activation'
  | 'normalization'
  | 'pool'
  | 'reduce'
  | 'select'
  | 'other';

/**
 * An axis of a weight as a function of the node (its attributes) and the weight's rank; undefined
 * when the weight has no such axis at that rank. Axes are in [0, rank).
 * Example: MatMul's channel axis is `(node, rank) => rank >= 2 ? rank - 1 : undefined`.
 */
export type WeightAxis = (node: Node, rank: number) => number | undefined;

/** A weight input: a constant the op multiplies its data by, or a table it reads rows of. */
export interface WeightInput {
  /** Input index of the weight (1 for Conv, Gemm and MatMul; 0 for Gather's table). */
  readonly input: number;
  /** Axis holding output channels (one scale each under per-channel quantization). */
  readonly channelAxis: WeightAxis;
  /** Axis the op sums over (blocks of per-block quantization run along it); for a table, its rows. */
  readonly reductionAxis: WeightAxis;
}

/** A bias input: added to the output channels of a weight, one value per channel. */
export interface BiasInput {
  /** Input index of the bias (2 for Conv, ConvTranspose and Gemm). */
  readonly input: number;
  /** Input index of the weight whose output channels it adds to. */
  readonly weight: number;
}

/** What one op type's inputs mean for quantization. Frozen data; functions only read the node. */
export interface OpContract {
  /** ONNX op type in the default domain. */
  readonly opType: string;
  /** What the op does to values. */
  readonly role: OpRole;
  /** Weight inputs, primary first (empty for ops without weights). */
  readonly weights: readonly WeightInput[];
  /** The bias input, when the op has one. */
  readonly bias?: BiasInput;
  /** Learned per-channel constants that are not weights (normalization scale and shift, running statistics). */
  readonly params: readonly number[];
  /**
   * Channel groups the weight splits into: output channel block g reads only input channel
   * block g (Conv's and ConvTranspose's `group`); 1 when absent.
   */
  readonly groups?: (node: Node) => number;
  /**
   * Why `node` is not the plain product of its data and weight plus bias in the weight's layout
   * (Gemm with transA=1, or alpha/beta other than 1); undefined when it is.
   */
  readonly linearFormProblem?: (node: Node) => string | undefined;
}
