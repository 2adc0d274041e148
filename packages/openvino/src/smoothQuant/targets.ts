/**
 * The layers SmoothQuant smooths, grouped as NNCF groups them: MatMuls whose second input
 * is a 2-D float32 weight [in, out] read by that node only, grouped by the activation they
 * read (one group per producer output), so that all of a group's layers share one scale.
 */
import { GraphIndex, type Model, type Node } from '@qtk/core';

/** The MatMuls that read one activation; smoothing divides `value` by s and multiplies each weight's rows by s. */
export interface SmoothGroup {
  /** The activation the layers read (input 0 of each). */
  readonly value: string;
  /** Its channels: the rows of every weight. */
  readonly channels: number;
  /** The MatMul nodes of the group, in graph order. */
  readonly nodes: readonly Node[];
  /** Their weights (initializer names), in the order of `nodes`. */
  readonly weights: readonly string[];
}

/**
 * The smoothable MatMul groups of `model`: MatMul nodes (default domain) whose input 1 is a
 * 2-D float32 initializer read by no other node (NNCF skips shared weights) and whose input 0
 * is not a constant. Nodes in `skip` are left out.
 */
export function smoothGroups(model: Model, skip: ReadonlySet<Node> = new Set()): SmoothGroup[] {
  const g = model.graph;
  const index = new GraphIndex(g);
  const groups = new Map<string, { channels: number; nodes: Node[]; weights: string[] }>();
  for (const node of g.nodes) {
    if (node.opType !== 'MatMul' || (node.domain ?? '') !== '' || skip.has(node)) continue;
    const [value, weight] = node.inputs;
    if (!value || !weight || g.initializers.has(value)) continue;
    const w = g.initializers.get(weight);
    if (w?.dtype !== 'float32' || w.dims.length !== 2 || index.consumers(weight).length !== 1) continue;
    const channels = w.dims[0]!;
    const group = groups.get(value);
    if (group && group.channels !== channels) continue;
    if (group) {
      group.nodes.push(node);
      group.weights.push(weight);
    } else {
      groups.set(value, { channels, nodes: [node], weights: [weight] });
    }
  }
  return [...groups].map(([value, grp]) => ({ value, ...grp }));
}
