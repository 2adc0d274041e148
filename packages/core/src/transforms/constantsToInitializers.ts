/** Constant nodes of the main graph become initializers of the same name. */
import type { Model } from '../ir/graph.js';
import { constantNodeValue } from '../shape/constantValue.js';

/**
 * Replaces each Constant node (dense value; not a graph output) by an initializer
 * named after its output. Mutates `model`; returns how many nodes were replaced.
 * Example: `Constant(value_ints=[0, -1]) -> "shape"` becomes initializer `shape` = int64 `[0, -1]`.
 */
export function constantsToInitializers(model: Model): number {
  const g = model.graph;
  const outputs = new Set(g.outputs.map((o) => o.name));
  const inputs = new Set(g.inputs.map((o) => o.name));
  let count = 0;
  g.nodes = g.nodes.filter((n) => {
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
