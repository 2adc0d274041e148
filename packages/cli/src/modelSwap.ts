/**
 * Signs that the float and the quantized model of `qtk compare` were given the wrong way
 * round: the first model has quantized ops and the second none, or the second holds far
 * more parameter bytes than the first.
 *
 * Example: `qtk compare m.int8.onnx m.onnx` warns that 'm.int8.onnx' has 24 quantized
 * ops (QuantizeLinear, DequantizeLinear) and 'm.onnx' none.
 */
import type { Model } from '@qtk/core';
import { summarizeModel } from './commands/inspect.js';

/** Op types that only a quantized model holds. */
const QUANTIZED_OP = /^(QuantizeLinear|DequantizeLinear|DynamicQuantizeLinear|QLinear\w+|QGemm|QAttention|MatMulInteger\w*|ConvInteger|MatMulNBits|GatherBlockQuantized|DynamicQuantize\w+)$/;

/** The candidate counts as much larger than the reference beyond this ratio of parameter bytes. */
export const SWAP_SIZE_RATIO = 1.5;

/** The quantized ops of a model's main graph: how many, and their types (sorted). */
export function quantizedOps(model: Model): { count: number; types: string[] } {
  const found = model.graph.nodes.filter((n) => QUANTIZED_OP.test(n.opType));
  return { count: found.length, types: [...new Set(found.map((n) => n.opType))].sort() };
}

/** A model and the file it was read from. */
export interface NamedModel {
  file: string;
  model: Model;
}

/**
 * Warnings (no `warning:` prefix) when `reference`, said to be the float model, and
 * `candidate`, said to be the quantized one, look swapped; empty when they do not.
 */
export function swapWarnings(reference: NamedModel, candidate: NamedModel): string[] {
  const out: string[] = [];
  const r = quantizedOps(reference.model);
  const c = quantizedOps(candidate.model);
  if (r.count > 0 && c.count === 0) {
    out.push(`the first model '${reference.file}' should be the float one, but it has ${r.count} quantized ops (${r.types.join(', ')}) and the second '${candidate.file}' has none; are they swapped?`);
  }
  const rb = summarizeModel(reference.model).parameterBytes;
  const cb = summarizeModel(candidate.model).parameterBytes;
  if (rb > 0 && cb > SWAP_SIZE_RATIO * rb) {
    out.push(`the second model '${candidate.file}' should be the quantized one, but its parameters take ${(cb / rb).toFixed(1)}x the bytes of the first '${reference.file}' (${cb} against ${rb}); are they swapped?`);
  }
  return out;
}
