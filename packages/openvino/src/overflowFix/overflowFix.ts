/**
 * NNCF's overflow fix: 8-bit multiply-adds of CPUs without VNNI (SSE, AVX2, AVX-512 without
 * VNNI) add pairs of u8·s8 products in 16 bits and saturate on full-range weights, so NNCF
 * quantizes some weights on half the int8 range (7 bits, the scale doubled). `first_layer_only`
 * (NNCF's default for 8-bit activations and weights) takes the first Convs reached from each
 * model input; `enable` every Conv, ConvTranspose, MatMul and Gemm weight; `disable` none.
 */
import type { Graph, GraphIndex, Node } from '@qtk/core';
import type { WeightQuantizer } from '../policy/quantizerPlacement.js';

/** NNCF's `OverflowFix` values. */
export type OverflowFix = 'enable' | 'first_layer_only' | 'disable';

/** The overflow-fix modes, NNCF's spelling. */
export const OVERFLOW_FIX_MODES: readonly OverflowFix[] = ['enable', 'first_layer_only', 'disable'];

/** Op types whose weights `enable` halves (NNCF's `overflow_fix_metatypes` of the ONNX backend). */
const ENABLE_OPS = new Set(['Conv', 'ConvTranspose', 'MatMul', 'Gemm']);

/** A plain Conv (NNCF's ONNXConvolutionMetatype; depthwise and grouped Convs are other metatypes). */
function isPlainConv(node: Node): boolean {
  if (node.opType !== 'Conv') return false;
  const group = node.attributes.find((a) => a.name === 'group')?.value;
  return !group || (group.kind === 'int' && group.value === 1);
}

/**
 * The weight quantizers of `weights` that `mode` puts on half the range. For
 * `first_layer_only`: from each graph input, a breadth-first walk over the nodes that stops
 * at every plain Conv whose weight is quantized (NNCF's `_get_first_quantized_convolutions`).
 */
export function overflowFixWeights(graph: Graph, index: GraphIndex, weights: readonly WeightQuantizer[], mode: OverflowFix): Set<WeightQuantizer> {
  if (mode === 'disable') return new Set();
  if (mode === 'enable') return new Set(weights.filter((w) => ENABLE_OPS.has(w.node.opType)));
  const convs = new Map<Node, WeightQuantizer[]>();
  for (const w of weights) if (isPlainConv(w.node)) convs.set(w.node, [...(convs.get(w.node) ?? []), w]);
  const out = new Set<WeightQuantizer>();
  const seen = new Set<Node>();
  const queue: Node[] = graph.inputs.flatMap((i) => index.consumers(i.name));
  while (queue.length) {
    const node = queue.shift()!;
    if (seen.has(node)) continue;
    seen.add(node);
    const hit = convs.get(node);
    if (hit) hit.forEach((w) => out.add(w));
    else for (const v of node.outputs) queue.push(...index.consumers(v));
  }
  return out;
}
