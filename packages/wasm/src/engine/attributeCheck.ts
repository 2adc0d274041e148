/**
 * The attribute check of `InferenceSession.create`: every node of an op the engine runs must
 * match core's op schema (known attribute names only, right types, values in range), so a
 * model the kernels cannot run correctly is refused at create, as onnxruntime does, instead of
 * trapping or giving different numbers at run time.
 */
import { QtkError, type Graph } from '@qtk/core';
import { checkNodeAttributes, declaredDims, opSchemaOf } from '@qtk/core/internal';
import { OPS } from '../ops/index.js';
import { opKey } from '../ops/registry.js';
import { FUSED_DOMAIN } from '../ops/qlinear.js';

/**
 * Throws E_ATTRIBUTE naming node, op and attribute for the first node of `graph` whose
 * attributes break its op's schema. Nodes of ops the engine does not run are left to the op
 * lookup; the engine's own fused ops (written by its rewrites) have no schema.
 */
export function checkGraphAttributes(graph: Graph): void {
  const dimsOf = declaredDims(graph);
  for (const node of graph.nodes) {
    if (node.domain === FUSED_DOMAIN || !OPS.has(opKey(node))) continue;
    const schema = opSchemaOf(node);
    if (!schema) throw new QtkError('E_UNSUPPORTED', `${node.opType} node '${node.name}': op ${opKey(node)} has no attribute schema`, { node: node.name });
    checkNodeAttributes(node, schema, { dimsOf, unknownIsError: true });
  }
}
