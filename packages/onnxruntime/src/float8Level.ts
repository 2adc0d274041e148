/**
 * The graph optimization level onnxruntime 1.30 can run FP8 Q/DQ models at. From level
 * 'extended' on, its QDQ fusion turns DequantizeLinear → Conv → QuantizeLinear over float8e4m3fn
 * into a QLinearConv, which takes no float8 type, and session creation fails ("Type
 * 'tensor(float8e4m3fn)' of input parameter ... of operator (QLinearConv) ... is invalid");
 * level 'basic' keeps the Q/DQ nodes and runs them with the float kernels between.
 */
import { subgraphsOf, type Graph, type Model } from '@qtk/core';

/** True when a QuantizeLinear or DequantizeLinear of `model` (subgraphs included) has a float8 zero point or input. */
export function holdsFloat8Qdq(model: Model): boolean {
  const visit = (g: Graph): boolean => g.nodes.some((n) => {
    if ((n.opType === 'QuantizeLinear' || n.opType === 'DequantizeLinear') && n.inputs.some((v) => g.initializers.get(v)?.dtype.startsWith('float8'))) return true;
    return subgraphsOf(n).some(visit);
  });
  return visit(model.graph);
}

/** The optimization level to ask for `model` when the caller gave none: 'basic' for FP8 Q/DQ, else the runtime's default. */
export function float8SafeLevel(model: Model): 'basic' | undefined {
  return holdsFloat8Qdq(model) ? 'basic' : undefined;
}
