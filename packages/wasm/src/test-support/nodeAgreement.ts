/**
 * Node-by-node agreement with onnxruntime-node on a quantized model: every 8-bit tensor
 * (outputs of QuantizeLinear, QLinear* and QGemm with an output scale) is exposed as a graph
 * output in both engines, and the step distance of each is reported in graph order, so the
 * first node whose output differs by more than one step can be found.
 */
import { cloneModel, topologicalSort, type Model, type Node } from '@qtk/core';
import { ortRun, stepStats, wasmRun, type CoreFeeds, type StepStats } from './agreement.js';

/** Step statistics of one 8-bit tensor. */
export interface NodeSteps extends StepStats {
  tensor: string;
  node: string;
  op: string;
}

function isQuantizedOutput(n: Node): boolean {
  if (n.opType === 'QuantizeLinear' || n.opType === 'DynamicQuantizeLinear' || n.opType.startsWith('QLinear')) return true;
  return n.opType === 'QGemm' && n.inputs.length > 7 && !!n.inputs[7];
}

/** The 8-bit tensors of `m` in topological order with their producers. */
export function quantizedTensors(m: Model): { tensor: string; node: Node }[] {
  return topologicalSort(m.graph).filter(isQuantizedOutput).map((node) => ({ tensor: node.outputs[0]!, node }));
}

/**
 * Runs `m` in both engines with every 8-bit tensor as an extra output; returns the step
 * statistics per tensor in graph order (model outputs first in `outputs`).
 */
export async function compareQuantized(m: Model, feeds: CoreFeeds): Promise<{ steps: NodeSteps[]; ours: Record<string, unknown>; ref: Record<string, unknown> }> {
  const probed = cloneModel(m);
  const list = quantizedTensors(probed);
  for (const { tensor } of list) if (!probed.graph.outputs.some((o) => o.name === tensor)) probed.graph.outputs.push({ name: tensor });
  const ours = await wasmRun(probed, feeds), ref = await ortRun(probed, feeds);
  const steps = list.map(({ tensor, node }) => ({
    tensor, node: node.name, op: node.opType,
    ...stepStats(ours[tensor]!.data as Uint8Array, ref[tensor]!.data as Uint8Array),
  }));
  return { steps, ours, ref };
}

/** The first entries whose largest distance exceeds `limit` steps (default one). */
export function firstOver(steps: NodeSteps[], limit = 1, count = 5): NodeSteps[] {
  return steps.filter((s) => s.max > limit).slice(0, count);
}
