/**
 * Tidying after the QOperator rewrite: a QuantizeLinear reading a DequantizeLinear with
 * the same parameters is the identity on integers, so its readers take the integers
 * directly; then Q/DQ (and Constant) nodes nobody reads go, with the initializers only
 * they used.
 */
import { type Graph, type Node, GraphIndex, type Tensor } from '@qtk/core';
import { nodeReads, constantNodeValue, LiveIndex } from '@qtk/core/internal';
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
 * Q → DQ → Q chains down to the first Q, in one pass over the graph). Returns how many
 * QuantizeLinear lost their readers.
 */
export function foldIdentityRequantize(graph: Graph): number {
  const index = new GraphIndex(graph);
  const constant = constants(graph, index);
  // QuantizeLinear that may fold, by output: read by nodes (not through subgraphs, which see
  // the name through scope), no graph output, reading a DequantizeLinear.
  const candidates = new Map<string, { q: Node; dq: Node }>();
  for (const q of graph.nodes) {
    const out = q.outputs[0];
    if (!isQuantizeNode(q) || !out || index.isGraphOutput(out)) continue;
    const readers = index.consumers(out);
    if (!readers.length || readers.some((n) => !n.inputs.includes(out))) continue;
    const dq = index.producer(q.inputs[0]!);
    if (dq && isDequantizeNode(dq)) candidates.set(out, { q, dq });
  }
  // Folded outputs and what their readers read instead, already followed down each chain.
  const target = new Map<string, string>();
  const decided = new Set<string>();
  const decide = (out: string) => {
    const { q, dq } = candidates.get(out)!;
    const source = target.get(dq.inputs[0]!) ?? dq.inputs[0]!;
    const qp = readQuantParams(q, constant);
    const dp = readQuantParams(dq, constant, graph.initializers.get(source)?.dtype);
    if (typeof qp !== 'string' && typeof dp !== 'string' && sameQuantParams(qp, dp)) target.set(out, source);
    decided.add(out);
  };
  for (const out of candidates.keys()) {
    // The QuantizeLinear up the chain are decided first, so each source is final.
    const pending = new Set<string>();
    for (let v = out; candidates.has(v) && !decided.has(v) && !pending.has(v); v = candidates.get(v)!.dq.inputs[0]!) pending.add(v);
    for (const v of [...pending].reverse()) decide(v);
  }
  if (!target.size) return 0;
  for (const n of graph.nodes) n.inputs = n.inputs.map((i) => target.get(i) ?? i);
  return target.size;
}

/** Node kinds that may be deleted once nothing reads them. */
function isRemovable(n: Node): boolean {
  return isQuantizeNode(n) || isDequantizeNode(n) || (n.opType === 'Constant' && (n.domain === '' || n.domain === 'ai.onnx'));
}

/**
 * Deletes Q, DQ and Constant nodes whose outputs nobody reads (and then those only they
 * read, and so on), and the initializers that only deleted nodes or `alsoCheck` referred
 * to. Returns the deleted nodes in the order they went: unread ones first.
 */
export function removeUnreadQdq(graph: Graph, alsoCheck: Iterable<string> = []): Node[] {
  const candidates = new Set<string>(alsoCheck);
  const index = new LiveIndex(graph);
  const gone = new Set<Node>();
  const unread = (o: string) => !o || (!index.readerCount(o) && !index.isGraphOutput(o));
  const isDead = (n: Node) => !gone.has(n) && isRemovable(n) && n.outputs.every(unread);
  const removed = graph.nodes.filter(isDead);
  for (const n of removed) gone.add(n);
  // `removed` grows as deleting a node leaves its producers unread.
  for (let k = 0; k < removed.length; k++) {
    const n = removed[k]!;
    index.removeNode(n);
    for (const o of n.outputs) graph.valueInfo.delete(o);
    for (const i of n.inputs) {
      if (!i) continue;
      candidates.add(i);
      const p = index.producer(i);
      if (p && isDead(p)) { gone.add(p); removed.push(p); }
    }
  }
  if (gone.size) graph.nodes = graph.nodes.filter((n) => !gone.has(n));
  const read = new Set<string>();
  for (const n of graph.nodes) for (const r of nodeReads(n)) read.add(r);
  const kept = new Set([...graph.inputs.map((v) => v.name), ...graph.outputs.map((v) => v.name)]);
  for (const c of candidates) if (graph.initializers.has(c) && !read.has(c) && !kept.has(c)) graph.initializers.delete(c);
  return removed;
}
