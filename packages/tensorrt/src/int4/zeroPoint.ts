/**
 * TensorRT's INT4 weight form is DequantizeLinear(int4 weight, scale) with `axis` and `block_size`:
 * symmetric, the zero point omitted (as Model Optimizer writes it). Core's standard writer gives
 * an explicit all-zero int4 zero point; this drops it.
 */
import type { Model } from '@qtk/core';
import { nodeReads } from '@qtk/core/internal';

/** Removes all-zero int4 zero points from the blocked DequantizeLinear nodes of the main graph; returns how many. */
export function dropZeroPoints(model: Model): number {
  const g = model.graph;
  let dropped = 0;
  const candidates = new Set<string>();
  for (const node of g.nodes) {
    if (node.opType !== 'DequantizeLinear' || node.domain !== '' || node.inputs.length < 3) continue;
    if (!node.attributes.some((a) => a.name === 'block_size')) continue;
    const zp = g.initializers.get(node.inputs[2]!);
    if (!zp || zp.dtype !== 'int4' || zp.toNumbers().some((v) => v !== 0)) continue;
    candidates.add(node.inputs[2]!);
    node.inputs.length = 2;
    dropped++;
  }
  for (const name of candidates) {
    const read = g.nodes.some((n) => nodeReads(n).includes(name)) || g.outputs.some((o) => o.name === name);
    if (!read) g.initializers.delete(name);
  }
  return dropped;
}
