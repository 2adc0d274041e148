/** Removal of nodes whose outputs nothing uses. */
import type { Model, Node } from '../ir/graph.js';
import { nodeReads, topologicalSort } from '../ir/graphIndex.js';

/**
 * Removes nodes none of whose outputs reaches a graph output (directly or through other
 * nodes, subgraph reads included), and their value infos. Mutates `model`; returns how
 * many nodes were removed.
 * Example: a `Shape` whose result nothing reads is removed.
 */
export function removeDeadNodes(model: Model): number {
  const g = model.graph;
  const needed = new Set(g.outputs.map((o) => o.name));
  const live = new Set<Node>();
  const order = topologicalSort(g);
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i]!;
    if (!n.outputs.some((o) => o && needed.has(o))) continue;
    live.add(n);
    for (const r of nodeReads(n)) needed.add(r);
  }
  const dead = g.nodes.length - live.size;
  if (!dead) return 0;
  for (const n of g.nodes) if (!live.has(n)) for (const o of n.outputs) if (o) g.valueInfo.delete(o);
  g.nodes = g.nodes.filter((n) => live.has(n));
  return dead;
}
