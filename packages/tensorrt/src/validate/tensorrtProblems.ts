/** Every Q/DQ problem TensorRT's ONNX parser would have with a model (the backend's `validate`). */
import { GraphIndex, type BackendProblem, type Model } from '@qtk/core';
import { qdqNodeProblems } from './qdqNodeProblems.js';

/**
 * Problems of the QuantizeLinear and DequantizeLinear nodes of `model`'s main graph under
 * TensorRT's explicit-quantization rules; empty when TensorRT's parser takes them all.
 * Each names the node and, where one is at fault, the tensor.
 * Example: a QuantizeLinear with zero point 3 gives `QuantizeLinear 'q': zero point 'zp' has
 * 1 non-zero value(s) (first: 3 at index 0); TensorRT takes symmetric quantization only (zero point 0)`.
 */
export function tensorrtProblems(model: Model): readonly BackendProblem[] {
  const index = new GraphIndex(model.graph);
  return model.graph.nodes
    .filter((n) => n.opType === 'QuantizeLinear' || n.opType === 'DequantizeLinear')
    .flatMap((n) => qdqNodeProblems(index, n));
}
