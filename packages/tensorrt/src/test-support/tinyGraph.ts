/** Test helpers for the TensorRT handlers: core's tiny graph builder, and annotation by this backend's policy. */
import type { Annotation, Graph } from '@qtk/core';
import { annotateFor } from '../../../core/src/annotate/test-support/tinyGraph.js';
import { tensorrtBackend } from '../backend.js';

export { TinyGraph, roleOf, isQuantizedNode, floatReason } from '../../../core/src/annotate/test-support/tinyGraph.js';

/** Annotates `graph` by the TensorRT placement policy (core's test specs: the roles are what these tests read). */
export function annotateTrt(graph: Graph): Annotation {
  return annotateFor(graph, tensorrtBackend);
}
