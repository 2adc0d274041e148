/** Small graph queries and edits the transforms share. */
import type { Graph, Model } from '../ir/graph.js';
import { nodeReads, outerReads } from '../ir/graphIndex.js';
import { subgraphsOf } from '../ir/graph.js';
import type { Tensor } from '../ir/tensor.js';

/** Opset of the default ONNX domain (21 when the model imports none). */
export function defaultOpset(model: Model): number {
  return model.opsetImports.get('') ?? model.opsetImports.get('ai.onnx') ?? 21;
}

/** Every name the graph reads: node inputs, what subgraphs read from outside, graph outputs. */
export function readNames(graph: Graph): Set<string> {
  const s = new Set<string>(graph.outputs.map((o) => o.name));
  for (const n of graph.nodes) for (const r of nodeReads(n)) s.add(r);
  return s;
}

/** Names read from the outer scope by any node's subgraphs. */
export function subgraphReadNames(graph: Graph): Set<string> {
  const s = new Set<string>();
  for (const n of graph.nodes) for (const sg of subgraphsOf(n)) for (const r of outerReads(sg)) s.add(r);
  return s;
}

/** Initializers that are true constants: not shadowed by a graph input of the same name. */
export function constantInitializers(graph: Graph): Map<string, Tensor> {
  const inputs = new Set(graph.inputs.map((v) => v.name));
  const out = new Map<string, Tensor>();
  for (const [k, t] of graph.initializers) if (!inputs.has(k)) out.set(k, t);
  return out;
}

/** Drops initializers among `candidates` that nothing reads any more; returns how many. */
export function dropUnread(graph: Graph, candidates: Iterable<string>): number {
  const reads = readNames(graph);
  const inputs = new Set(graph.inputs.map((v) => v.name));
  let n = 0;
  for (const c of candidates) {
    if (!reads.has(c) && !inputs.has(c) && graph.initializers.delete(c)) n++;
  }
  return n;
}
