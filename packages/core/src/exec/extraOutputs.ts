/** Exposing intermediate values as graph outputs so a runtime returns them. */
import type { Model, ValueInfo } from '../ir/graph.js';

/**
 * A shallow copy of `model` whose main graph also outputs `names` (values that are
 * not outputs yet). Node and initializer objects are shared, not copied.
 */
export function withExtraOutputs(model: Model, names: readonly string[]): Model {
  const g = model.graph;
  const have = new Set(g.outputs.map((o) => o.name));
  const added: ValueInfo[] = [];
  for (const n of names) {
    if (have.has(n)) continue;
    have.add(n);
    const info = g.valueInfo.get(n);
    added.push(info?.type ? { name: n, type: info.type } : { name: n });
  }
  if (!added.length) return model;
  return { ...model, graph: { ...g, outputs: [...g.outputs, ...added] } };
}
