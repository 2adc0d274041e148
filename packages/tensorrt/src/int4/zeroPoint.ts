/**
 * TensorRT's INT4 weight form is DequantizeLinear(int4 weight, scale) with `axis` and `block_size`:
 * symmetric, the zero point omitted (as Model Optimizer writes it). Core's standard writer gives
 * an explicit all-zero int4 zero point; this drops it, in every graph (If/Loop/Scan bodies too).
 */
import { subgraphsOf, type Graph, type Model } from '@qtk/core';
import { nodeReads } from '@qtk/core/internal';

/** Removes all-zero int4 zero points from the blocked DequantizeLinear nodes of every graph; returns how many. */
export function dropZeroPoints(model: Model): number {
  const graphs = allGraphs(model.graph);
  const initializerOf = (name: string) => graphs.find((g) => g.initializers.has(name))?.initializers.get(name);
  const dropped = new Set<string>();
  let count = 0;
  for (const g of graphs) {
    for (const node of g.nodes) {
      if (node.opType !== 'DequantizeLinear' || node.domain !== '' || node.inputs.length < 3) continue;
      if (!node.attributes.some((a) => a.name === 'block_size')) continue;
      const zp = initializerOf(node.inputs[2]!);
      if (!zp || zp.dtype !== 'int4' || zp.toNumbers().some((v) => v !== 0)) continue;
      dropped.add(node.inputs[2]!);
      node.inputs.length = 2;
      count++;
    }
  }
  for (const g of graphs) {
    for (const name of dropped) {
      if (!g.initializers.has(name)) continue;
      const read = g.nodes.some((n) => nodeReads(n).includes(name)) || g.outputs.some((o) => o.name === name);
      if (!read) g.initializers.delete(name);
    }
  }
  return count;
}

/** `g` and every graph nested in its nodes' attributes. */
function allGraphs(g: Graph): Graph[] {
  return [g, ...g.nodes.flatMap((n) => subgraphsOf(n).flatMap(allGraphs))];
}
