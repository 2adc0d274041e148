/**
 * The layers SmoothQuant smooths, grouped as NNCF groups them: MatMuls whose second input
 * is a 2-D float32 weight [in, out], and Gemms (transA 0) whose B is one ([in, out], or
 * [out, in] with transB 1), the weight read by that node only, grouped by the activation
 * they read (one group per producer output), so that all of a group's layers share one scale.
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
  /** The input-channel axis of each weight: 0 for [in, out], 1 for a Gemm's transposed [out, in]. */
  readonly inAxes: readonly (0 | 1)[];
}

/** An int attribute of `node`, or `fallback`. */
function intAttr(node: Node, name: string, fallback: number): number {
  const v = node.attributes.find((a) => a.name === name)?.value;
  return v?.kind === 'int' ? v.value : fallback;
}

/** The input-channel axis of `node`'s weight (input 1), or undefined when the node is not a smoothable MatMul or Gemm. */
function inAxisOf(node: Node): 0 | 1 | undefined {
  if ((node.domain ?? '') !== '') return undefined;
  if (node.opType === 'MatMul') return 0;
  if (node.opType === 'Gemm' && intAttr(node, 'transA', 0) === 0) return intAttr(node, 'transB', 0) === 1 ? 1 : 0;
  return undefined;
}

/**
 * The smoothable groups of `model`: MatMul and Gemm nodes (default domain, Gemm with transA 0)
 * whose input 1 is a 2-D float32 initializer read by no other node (NNCF skips shared weights)
 * and whose input 0 is not a constant. Nodes in `skip` are left out.
 */
export function smoothGroups(model: Model, skip: ReadonlySet<Node> = new Set()): SmoothGroup[] {
  const g = model.graph;
  const index = new GraphIndex(g);
  const groups = new Map<string, { channels: number; nodes: Node[]; weights: string[]; inAxes: (0 | 1)[] }>();
  for (const node of g.nodes) {
    const inAxis = inAxisOf(node);
    if (inAxis === undefined || skip.has(node)) continue;
    const [value, weight] = node.inputs;
    if (!value || !weight || g.initializers.has(value)) continue;
    const w = g.initializers.get(weight);
    if (w?.dtype !== 'float32' || w.dims.length !== 2 || index.consumers(weight).length !== 1) continue;
    const channels = w.dims[inAxis]!;
    const group = groups.get(value);
    if (group && group.channels !== channels) continue;
    if (group) {
      group.nodes.push(node);
      group.weights.push(weight);
      group.inAxes.push(inAxis);
    } else {
      groups.set(value, { channels, nodes: [node], weights: [weight], inAxes: [inAxis] });
    }
  }
  return [...groups].map(([value, grp]) => ({ value, ...grp }));
}
