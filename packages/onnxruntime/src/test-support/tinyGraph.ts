/**
 * Test helpers for the onnxruntime backend's handlers: core's tiny graph builder, and
 * annotation by this backend as the pipeline does it (Conv widening, then the policy).
 */
import type { Annotation, Graph } from '@qtk/core';
import { annotateFor } from '../../../core/src/annotate/test-support/tinyGraph.js';
import { onnxruntimeBackend } from '../policy/onnxruntimeBackend.js';

export { TinyGraph, roleOf, isQuantizedNode, floatReason } from '../../../core/src/annotate/test-support/tinyGraph.js';

/** Prepares and annotates `graph` for the onnxruntime backend (uint8 activations, int8 per-channel weights). */
export function annotateTiny(graph: Graph): Annotation {
  return annotateFor(graph, onnxruntimeBackend);
}
