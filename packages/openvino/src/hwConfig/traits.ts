/** The quantization trait of a node under a hardware configuration (NNCF's solver rules). */
import type { Graph, Node } from '@qtk/core';
import type { HardwareConfig } from './hwOps.js';
import { defaultTrait, hwOpOf, type QuantizationTrait } from './onnxOps.js';

/**
 * What quantization does at `node`'s inputs under `config`: an operation the configuration
 * gives activation spaces is inputs-quantizable; one it lists without them takes the ONNX
 * default (agnostic for pooling by max, reshapes and the like); one it has a name for but
 * does not list runs in float; one without a name takes the ONNX default.
 * Example: MaxPool → 'agnostic', Conv → 'inputs-quantizable', Relu → 'non-quantizable'.
 */
export function quantizationTrait(node: Node, graph: Graph, config: HardwareConfig): QuantizationTrait {
  const hw = hwOpOf(node, graph);
  if (hw === undefined) return defaultTrait(node, graph);
  if (config.activations.has(hw)) return 'inputs-quantizable';
  return config.listed.has(hw) ? defaultTrait(node, graph) : 'non-quantizable';
}

/** True when `config` quantizes the weights of `node` (Conv, MatMul, Gemm, embedding tables). */
export function hasQuantizedWeights(node: Node, graph: Graph, config: HardwareConfig): boolean {
  const hw = hwOpOf(node, graph);
  return hw !== undefined && config.weights.has(hw) && ['CONVOLUTION', 'DEPTHWISE_CONVOLUTION', 'MAT_MUL', 'EMBEDDING'].includes(hw);
}
