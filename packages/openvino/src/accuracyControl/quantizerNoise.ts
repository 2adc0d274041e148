/**
 * The noise each activation quantizer adds on its own: for every QuantizeLinear →
 * DequantizeLinear pair on a value `t` of the quantized model, the noise-to-signal ratio of
 * the dequantized value against the float model's `t`, less that of the quantized model's
 * own `t` (the noise that reached `t` from upstream). The quantizer goes away when every
 * quantized node reading it is reverted: those nodes are its group.
 *
 * This sees what a per-node measure misses where quantizers sit on the inputs of ops (as
 * NNCF places them): the clipping of a value whose producer is not quantized (a Reshape,
 * a Sigmoid, the graph input) belongs to no quantized node's output.
 */
import { GraphIndex, type Executor, type Feeds, type Model, type StaticConversion, type Tensor } from '@qtk/core';
import type { RankedNode } from './types.js';

/** One quantizer: the value it quantizes, its dequantized output and the units reading it. */
interface Probe {
  tensor: string;
  dequantized: string;
  readers: string[];
  signal: number;
  upstream: number;
  own: number;
}

/** The activation quantizers of `quantized` ranked worst first by the noise each adds, measured on `batches`. */
export async function rankQuantizers(floatModel: Model, quantized: Pick<StaticConversion, 'model' | 'units'>, executor: Executor, batches: readonly Feeds[]): Promise<RankedNode[]> {
  const probes = quantizerProbes(quantized);
  if (!probes.length || !batches.length) return [];
  const inputs = new Set(floatModel.graph.inputs.map((i) => i.name));
  const floatFetch = [...new Set(probes.map((p) => p.tensor).filter((t) => !inputs.has(t)))];
  const candFetch = [...new Set([...floatFetch, ...probes.map((p) => p.dequantized)])];
  const fs = await executor.createSession(floatModel, { extraOutputs: floatFetch });
  try {
    const cs = await executor.createSession(quantized.model, { extraOutputs: candFetch });
    try {
      for (const feeds of batches) {
        const f = await fs.run(feeds, floatFetch);
        const c = await cs.run(feeds, candFetch);
        const value = (out: Record<string, Tensor>, name: string) => (inputs.has(name) ? feeds[name] : out[name])?.data;
        for (const p of probes) {
          const ref = value(f, p.tensor), up = value(c, p.tensor), dq = c[p.dequantized]?.data;
          if (!(ref instanceof Float32Array) || !(up instanceof Float32Array) || !(dq instanceof Float32Array) || ref.length !== dq.length) continue;
          for (let i = 0; i < ref.length; i++) {
            const r = ref[i]!;
            p.signal += r * r;
            p.upstream += (up[i]! - r) ** 2;
            p.own += (dq[i]! - r) ** 2;
          }
        }
      }
    } finally {
      await cs.release();
    }
  } finally {
    await fs.release();
  }
  return probes
    .map((p) => ({ name: p.tensor, opType: 'QuantizeLinear', addedNsr: p.signal > 0 ? Math.max(0, (p.own - p.upstream) / p.signal) : 0, group: p.readers }))
    .sort((a, b) => b.addedNsr - a.addedNsr);
}

/** Each Q → DQ pair on an activation of `quantized.model` with the quantized units that read its output. */
function quantizerProbes(quantized: Pick<StaticConversion, 'model' | 'units'>): Probe[] {
  const g = quantized.model.graph;
  const index = new GraphIndex(g);
  const unitOf = new Map<string, string>();
  for (const u of quantized.units) {
    unitOf.set(u.name, u.name);
    if (u.fused) unitOf.set(u.fused, u.name);
  }
  const probes: Probe[] = [];
  for (const q of g.nodes) {
    const t = q.inputs[0];
    if (q.opType !== 'QuantizeLinear' || !t || g.initializers.has(t) || !q.outputs[0]) continue;
    const dq = index.consumers(q.outputs[0]).find((n) => n.opType === 'DequantizeLinear');
    if (!dq?.outputs[0]) continue;
    const readers = [...new Set(index.consumers(dq.outputs[0]).map((n) => unitOf.get(n.name)).filter((n): n is string => n !== undefined))];
    if (readers.length) probes.push({ tensor: t, dequantized: dq.outputs[0], readers, signal: 0, upstream: 0, own: 0 });
  }
  return probes;
}
