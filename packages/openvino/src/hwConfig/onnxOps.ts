/**
 * How NNCF's ONNX backend reads ONNX op types: the hardware operation each maps to (its
 * operator metatypes' `hw_config_names`) and the trait an op gets when the hardware
 * configuration says nothing about its activations (`DEFAULT_ONNX_QUANT_TRAIT_TO_OP_DICT`).
 */
import { attrInt, type Graph, type Node } from '@qtk/core';
import type { HwOp } from './hwOps.js';

/** What quantization does at an op's inputs (NNCF's `QuantizationTrait`). */
export type QuantizationTrait =
  /** its activation inputs are quantized */
  | 'inputs-quantizable'
  /** it moves or picks values: a quantizer may pass through it to its input */
  | 'agnostic'
  /** it concatenates: quantizers stop at its output (NNCF would unify the scales of its inputs) */
  | 'concat'
  /** it runs in float: no quantizer at its inputs, none passes through it */
  | 'non-quantizable';

/** ONNX op types mapped to NNCF's hardware operation names. */
const HW_OP_OF: Readonly<Record<string, HwOp>> = {
  Conv: 'CONVOLUTION', ConvTranspose: 'CONVOLUTION', Gemm: 'MAT_MUL', MatMul: 'MAT_MUL',
  GlobalAveragePool: 'AVG_POOL', AveragePool: 'AVG_POOL', GlobalMaxPool: 'MAX_POOL', MaxPool: 'MAX_POOL',
  Add: 'ADD', Sum: 'ADD', Sub: 'SUBTRACT', Mul: 'MULTIPLY', Div: 'DIVIDE', Concat: 'CONCAT', Resize: 'INTERPOLATE',
  CenterCropPad: 'CROP', Reshape: 'RESHAPE', Split: 'SPLIT', Less: 'LESS', LessOrEqual: 'LESS_EQUAL', Greater: 'GREATER',
  GreaterOrEqual: 'GREATER_EQUAL', Equal: 'EQUAL', Not: 'LOGICAL_NOT', And: 'LOGICAL_AND', Or: 'LOGICAL_OR',
  Xor: 'LOGICAL_XOR', Mod: 'FLOOR_MOD', Max: 'MAXIMUM', Min: 'MINIMUM', Pow: 'POWER', Sqrt: 'POWER',
  Reciprocal: 'POWER', Unsqueeze: 'UNSQUEEZE', Squeeze: 'SQUEEZE', ReduceMax: 'REDUCE_MAX', ReduceSum: 'REDUCE_SUM',
  ReduceL2: 'REDUCE_L2', ReduceMean: 'REDUCE_MEAN', Transpose: 'TRANSPOSE', Flatten: 'FLATTEN',
  Attention: 'SCALED_DOT_PRODUCT_ATTENTION',
};

/** Traits NNCF's ONNX backend gives by default (ops the hardware configuration leaves open or has no name for). */
const DEFAULT_TRAIT: Readonly<Record<string, QuantizationTrait>> = {
  ...Object.fromEntries([
    'GlobalMaxPool', 'MaxPool', 'ReduceMax', 'Reshape', 'Transpose', 'Squeeze', 'Unsqueeze', 'Split', 'Tile',
    'CenterCropPad', 'Slice', 'Pad', 'Gather', 'GatherND', 'GatherElements', 'DepthToSpace', 'SpaceToDepth',
    'ScatterElements', 'ScatterND', 'Scatter', 'CastLike', 'Dropout', 'Flatten', 'Expand', 'Identity',
  ].map((t) => [t, 'agnostic' as const])),
  ...Object.fromEntries([
    'Conv', 'ConvTranspose', 'DeformConv', 'Gemm', 'MatMul', 'AveragePool', 'GlobalAveragePool', 'Add', 'Sum', 'Sub',
    'Mul', 'BatchNormalization', 'HardSigmoid', 'Resize', 'Pow', 'Reciprocal', 'Max', 'Min',
  ].map((t) => [t, 'inputs-quantizable' as const])),
  Concat: 'concat',
};

/** Elementwise ops: a lone quantizer at their one activation input (the other a constant) is dropped. */
export const ELEMENTWISE_OPS: ReadonlySet<string> = new Set([
  'Add', 'Sum', 'Mul', 'Sub', 'Div', 'Less', 'LessOrEqual', 'Greater', 'GreaterOrEqual', 'Equal', 'Mod', 'Or', 'Not',
  'And', 'Xor', 'Max', 'Min', 'Mean',
]);

/**
 * True when Conv `node` is depthwise: `group` equals its input channels and its output
 * channels are a multiple of them (NNCF's `_is_depthwise_conv`, from the weight's shape).
 */
export function isDepthwiseConv(node: Node, graph: Graph): boolean {
  if (node.opType !== 'Conv') return false;
  const group = attrInt(node, 'group', 1);
  const w = graph.initializers.get(node.inputs[1] ?? '');
  if (group === 1 || !w || w.dims.length < 2) return false;
  const inCh = w.dims[1]! * group;
  const outCh = w.dims[0]!;
  return group === inCh && outCh % inCh === 0;
}

/** True when Gather `node` reads rows of a float constant table (NNCF's embedding metatype). */
export function isEmbedding(node: Node, graph: Graph): boolean {
  return node.opType === 'Gather' && graph.initializers.get(node.inputs[0] ?? '')?.dtype === 'float32';
}

/** The hardware operation `node` maps to, if NNCF's ONNX backend names one. */
export function hwOpOf(node: Node, graph: Graph): HwOp | undefined {
  if (node.domain !== '') return undefined;
  if (isDepthwiseConv(node, graph)) return 'DEPTHWISE_CONVOLUTION';
  if (isEmbedding(node, graph)) return 'EMBEDDING';
  return HW_OP_OF[node.opType];
}

/** The trait NNCF's ONNX backend gives `node` when the hardware configuration leaves it open. */
export function defaultTrait(node: Node, graph: Graph): QuantizationTrait {
  if (node.domain !== '' || isEmbedding(node, graph)) return 'non-quantizable';
  return DEFAULT_TRAIT[node.opType] ?? 'non-quantizable';
}

/** Activation ops NNCF's fused patterns take (its ONNX atomic activations, and the parts of GELU). */
const FUSED_ONLY_OPS = ['Relu', 'Clip', 'LeakyRelu', 'ThresholdedRelu', 'Elu', 'PRelu', 'Sigmoid', 'HardSwish', 'Selu', 'Erf'];

/** Every op type the OpenVINO placement has a rule for: mapped, defaulted or fusable. */
export const PLACEMENT_OP_TYPES: readonly string[] = [...new Set([...Object.keys(HW_OP_OF), ...Object.keys(DEFAULT_TRAIT), ...FUSED_ONLY_OPS])].sort();
