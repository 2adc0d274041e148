/** Removal of Identity and inference-mode Dropout nodes. */
import { attrInt, type Graph, type Model, type Node } from '../ir/graph.js';
import { subgraphReadNames } from './graphUtil.js';
import { LiveIndex } from './liveIndex.js';

/**
 * Removes Identity nodes and Dropout nodes in inference mode (no used mask, training
 * mode absent or constant false), rewiring readers to the node's input. When the output
 * is a graph output, the producer's output is renamed instead so graph output names stay;
 * a pass-through from a graph input or initializer straight to a graph output is kept.
 * Mutates `model`; returns the number of nodes removed.
 * Example: `Conv -> y0 -> Identity -> y` (y a graph output) becomes `Conv -> y`.
 */
export function removeIdentity(model: Model): number {
  const g = model.graph;
  const removed = new Set<Node>();
  const subReads = subgraphReadNames(g);
  const index = new LiveIndex(g);
  for (const n of g.nodes) {
    if (!isPassThrough(g, n, index)) continue;
    const x = n.inputs[0]!;
    const y = n.outputs[0]!;
    if (!x || !y || subReads.has(y)) continue;
    if (index.isGraphOutput(y)) {
      const prod = index.producer(x);
      if (!prod || index.isGraphOutput(x) || subReads.has(x) || removed.has(prod)) continue;
      index.removeNode(n);
      // The producer takes the graph output's name; other readers of x follow.
      prod.outputs[prod.outputs.indexOf(x)] = y;
      index.outputRenamed(prod, x, y);
      index.renameReads(x, y);
      g.valueInfo.delete(x);
    } else {
      index.removeNode(n);
      index.renameReads(y, x);
      g.valueInfo.delete(y);
    }
    removed.add(n);
  }
  if (removed.size) g.nodes = g.nodes.filter((m) => !removed.has(m));
  return removed.size;
}

function isPassThrough(g: Graph, n: Node, index: LiveIndex): boolean {
  if (n.domain !== '' && n.domain !== 'ai.onnx') return false;
  if (n.opType === 'Identity') return n.inputs.length === 1 && n.outputs.length === 1;
  if (n.opType !== 'Dropout') return false;
  if (attrInt(n, 'training_mode', 0) === 1) return false;
  const mask = n.outputs[1];
  if (mask && (index.consumers(mask).length || index.isGraphOutput(mask))) return false;
  const training = n.inputs[2];
  if (training) {
    const t = g.initializers.get(training);
    if (!t || g.inputs.some((v) => v.name === training) || t.size !== 1 || t.get(0) !== 0) return false;
  }
  return true;
}
