/** Activations that fold into the range of the op before them. */
import type { Graph, Node } from '../ir/graph.js';
import { attrFloat } from '../ir/graph.js';

/**
 * True for Relu, and for Clip whose lower bound is a constant ≥ 0 (ReLU6): quantizing
 * their output range makes them free, since the range already clips.
 */
export function isFusableActivation(node: Node, graph: Graph): boolean {
  if (node.domain !== '') return false;
  if (node.opType === 'Relu') return true;
  if (node.opType !== 'Clip') return false;
  const minName = node.inputs[1];
  if (minName) {
    const t = graph.initializers.get(minName);
    return t !== undefined && t.size === 1 && t.get(0) >= 0;
  }
  return attrFloat(node, 'min', -Infinity) >= 0;
}
