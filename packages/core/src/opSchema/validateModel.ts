/**
 * Checks a model's nodes against the op schemas: every default-domain node qtk has a schema
 * for (subgraphs included) must use only its op's attributes, with the right types and values.
 * Nodes of other domains, and ops without a schema, are left alone.
 */
import type { Graph, Model, Node } from '../ir/graph.js';
import { checkNodeAttributes, type DimsOf } from './checkNode.js';
import { isDefaultDomain, opSchemaOf } from './opSchemas.js';

/** Dims a graph declares for sure: its initializers' and its inputs' (symbolic dims as null). */
export function declaredDims(graph: Graph): DimsOf {
  const dims = new Map<string, readonly (number | null)[]>();
  for (const v of graph.inputs) {
    if (v.type?.kind === 'tensor' && v.type.shape) dims.set(v.name, v.type.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : null)));
  }
  for (const [name, t] of graph.initializers) dims.set(name, t.dims);
  return (name) => dims.get(name);
}

/** Checks one node against its schema when it has one; E_ATTRIBUTE naming node, op and attribute. */
export function validateNode(node: Node, dimsOf?: DimsOf): void {
  const schema = opSchemaOf(node);
  if (schema) checkNodeAttributes(node, schema, { dimsOf });
}

/** Throws E_ATTRIBUTE for the first default-domain node that breaks its op's schema. */
export function validateModel(model: Model): void {
  validateGraph(model.graph);
}

function validateGraph(graph: Graph): void {
  const dimsOf = declaredDims(graph);
  for (const node of graph.nodes) {
    if (isDefaultDomain(node.domain)) validateNode(node, dimsOf);
    for (const a of node.attributes) {
      if (a.value.kind === 'graph') validateGraph(a.value.value);
      if (a.value.kind === 'graphs') a.value.value.forEach(validateGraph);
    }
  }
}
