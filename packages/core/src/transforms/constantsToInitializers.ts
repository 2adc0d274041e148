/** Constant nodes of every graph (If/Loop/Scan bodies included) become initializers of the same name. */
import type { Graph, Model } from '../ir/graph.js';
import { subgraphsOf } from '../ir/graph.js';
import { constantNodeValue } from '../shape/constantValue.js';

/**
 * Replaces each Constant node (dense value; not a graph output) by an initializer named
 * after its output, in the graph holding the node: a body's constants become the body's
 * initializers. Mutates `model`; returns how many nodes were replaced.
 * Example: `Constant(value_ints=[0, -1]) -> "shape"` becomes initializer `shape` = int64 `[0, -1]`.
 */
export function constantsToInitializers(model: Model): number {
  return inGraph(model.graph);
}

function inGraph(g: Graph): number {
  const outputs = new Set(g.outputs.map((o) => o.name));
  const inputs = new Set(g.inputs.map((o) => o.name));
  let count = 0;
  g.nodes = g.nodes.filter((n) => {
    for (const sg of subgraphsOf(n)) count += inGraph(sg);
    const name = n.outputs[0];
    if (n.opType !== 'Constant' || !name || outputs.has(name) || inputs.has(name) || g.initializers.has(name)) return true;
    const t = constantNodeValue(n);
    if (!t) return true;
    g.initializers.set(name, t);
    g.valueInfo.delete(name);
    count++;
    return false;
  });
  return count;
}
