/** Test helpers for comparing the activation scales of quantized models. */
import type { Model } from '@qtk/core';

/** Scale of the QuantizeLinear reading each activation (weights left out), by tensor name. */
export function activationScales(m: Model): Map<string, number> {
  const out = new Map<string, number>();
  for (const n of m.graph.nodes) {
    if (n.opType !== 'QuantizeLinear' || m.graph.initializers.has(n.inputs[0]!)) continue;
    out.set(n.inputs[0]!, (m.graph.initializers.get(n.inputs[1]!)!.data as Float32Array)[0]!);
  }
  return out;
}

/** How many float32 steps lie between the positive float32 values `a` and `b`. */
export function ulps(a: number, b: number): number {
  const i = new Int32Array(Float32Array.of(a, b).buffer);
  return Math.abs(i[0]! - i[1]!);
}
