/**
 * Tidying after the QOperator rewrite: a QuantizeLinear reading a DequantizeLinear with
 * the same parameters is the identity on integers, so its readers take the integers
 * directly; then Q/DQ (and Constant) nodes nobody reads go, with the initializers only
 * they used.
 */
import type { Graph, Node } from '../../ir/graph.js';
import { GraphIndex, nodeReads } from '../../ir/graphIndex.js';
import { constantNodeValue } from '../../shape/constantValue.js';
import type { Tensor } from '../../ir/tensor.js';
import { isDequantizeNode, isQuantizeNode, readQuantParams, sameQuantParams } from './quantParams.js';

/** A constant lookup over initializers and Constant nodes. */
function constants(graph: Graph, index: GraphIndex): (v: string) => Tensor | undefined {
  return (v) => {
    const init = graph.initializers.get(v);
    if (init) return init;
    const p = index.producer(v);
    return p ? constantNodeValue(p) : undefined;
  };
}

/**
 * Makes readers of `Q(DQ(x))` read `x` where both use the same parameters (this removes
 * Q → DQ → Q chains down to the first Q). Returns how many QuantizeLinear lost their readers.
 */
export function foldIdentityRequantize(graph: Graph): number {
  let folded = 0;
  for (;;) {
    const index = new GraphIndex(graph);
    const constant = constants(graph, index);
    const rename = new Map<string, string>();
    for (const q of graph.nodes) {
      if (!isQuantizeNode(q) || !q.outputs[0] || index.isGraphOutput(q.outputs[0]) || !index.consumers(q.outputs[0]).length) continue;
      const dq = index.producer(q.inputs[0]!);
      if (!dq || !isDequantizeNode(dq)) continue;
      const source = dq.inputs[0]!;
      if (rename.has(source)) continue;
      const qp = readQuantParams(q, constant);
      const dp = readQuantParams(dq, constant, graph.initializers.get(source)?.dtype);
      if (typeof qp === 'string' || typeof dp === 'string' || !sameQuantParams(qp, dp)) continue;
      // Readers inside subgraphs see the name through scope; leave those alone.
      if (index.consumers(q.outputs[0]).some((n) => !n.inputs.includes(q.outputs[0]!))) continue;
      rename.set(q.outputs[0], source);
    }
    if (!rename.size) return folded;
    for (const n of graph.nodes) n.inputs = n.inputs.map((i) => rename.get(i) ?? i);
    folded += rename.size;
  }
}

/** Node kinds that may be deleted once nothing reads them. */
function isRemovable(n: Node): boolean {
  return isQuantizeNode(n) || isDequantizeNode(n) || (n.opType === 'Constant' && (n.domain === '' || n.domain === 'ai.onnx'));
}

/**
 * Deletes Q, DQ and Constant nodes whose outputs nobody reads (repeatedly), and the
 * initializers that only deleted nodes or `alsoCheck` referred to. Returns the deleted nodes.
 */
export function removeUnreadQdq(graph: Graph, alsoCheck: Iterable<string> = []): Node[] {
  const removed: Node[] = [];
  const candidates = new Set<string>(alsoCheck);
  for (;;) {
    const index = new GraphIndex(graph);
    const dead = graph.nodes.filter((n) => isRemovable(n) && n.outputs.every((o) => !o || (!index.consumers(o).length && !index.isGraphOutput(o))));
    if (!dead.length) break;
    const gone = new Set(dead);
    graph.nodes = graph.nodes.filter((n) => !gone.has(n));
    for (const n of dead) {
      removed.push(n);
      for (const i of n.inputs) if (i) candidates.add(i);
      for (const o of n.outputs) graph.valueInfo.delete(o);
    }
  }
  const read = new Set<string>();
  for (const n of graph.nodes) for (const r of nodeReads(n)) read.add(r);
  const kept = new Set([...graph.inputs.map((v) => v.name), ...graph.outputs.map((v) => v.name)]);
  for (const c of candidates) if (graph.initializers.has(c) && !read.has(c) && !kept.has(c)) graph.initializers.delete(c);
  return removed;
}
