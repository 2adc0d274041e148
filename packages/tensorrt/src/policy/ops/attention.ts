/**
 * The attention core of a transformer: MatMul(Q, Kᵀ) → [scale, mask] → Softmax → MatMul(P, V).
 * TensorRT's INT8 path leaves these two MatMuls float (its fused attention kernels take FP8
 * or float); Model Optimizer keeps the whole pattern out of INT8 quantization.
 */
import type { GraphIndex, Node } from '@qtk/core';

/** Ops that may sit between the attention MatMuls and the Softmax: scaling, masking, reshaping. */
const BETWEEN: ReadonlySet<string> = new Set(['Add', 'Mul', 'Div', 'Sub', 'Where', 'Reshape', 'Transpose', 'Cast', 'Flatten', 'Squeeze', 'Unsqueeze']);

/** True when `value` reaches a Softmax going forward through `BETWEEN` ops (at most `depth` nodes). */
function reachesSoftmax(index: GraphIndex, value: string, depth: number): boolean {
  if (depth < 0) return false;
  return index.consumers(value).some((c) => c.opType === 'Softmax' || (BETWEEN.has(c.opType) && c.outputs.some((o) => reachesSoftmax(index, o, depth - 1))));
}

/** True when `value` comes from a Softmax going back through `BETWEEN` ops (at most `depth` nodes). */
function comesFromSoftmax(index: GraphIndex, value: string, depth: number): boolean {
  const p = index.producer(value);
  if (!p || depth < 0) return false;
  if (p.opType === 'Softmax') return true;
  return BETWEEN.has(p.opType) && p.inputs.some((v) => v !== '' && !index.isConstant(v) && comesFromSoftmax(index, v, depth - 1));
}

/** True when MatMul `node` multiplies two computed tensors as Q·Kᵀ before a Softmax or P·V after one. */
export function isAttentionMatMul(index: GraphIndex, node: Node): boolean {
  if (node.opType !== 'MatMul' || node.inputs.slice(0, 2).some((v) => index.isConstant(v))) return false;
  return reachesSoftmax(index, node.outputs[0]!, 4) || node.inputs.slice(0, 2).some((v) => comesFromSoftmax(index, v, 4));
}
