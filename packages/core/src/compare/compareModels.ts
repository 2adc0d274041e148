/**
 * `compareModels`: how far a candidate (quantized) model's tensors are from a reference
 * (float) model's on the same inputs, per node and per model output.
 */
import type { Model } from '../ir/graph.js';
import type { Executor } from '../exec/executor.js';
import type { Feeds } from '../pipeline/types.js';
import { ErrorAccumulator } from './errorStats.js';
import { measureErrors, type MeasureOptions } from './measure.js';
import { planProbes, type TensorPair } from './probes.js';
import { byWorstSqnr, type CompareReport, type NodeError, type TensorError } from './report.js';

/** Options of `compareModels`. */
export interface CompareOptions extends MeasureOptions {
  /**
   * Compare the model outputs only, leaving `nodes` empty: each model then returns its
   * outputs alone, which is much cheaper than fetching every quantized node's tensor.
   */
  outputsOnly?: boolean;
}

/** Noise-to-signal power ratio of accumulated errors: 0 when exact, +Infinity when the signal is 0 or a value is not finite. */
function nsrOf(acc: Pick<ErrorAccumulator, 'noise' | 'signal' | 'nonFinite'>): number {
  if (acc.nonFinite) return Infinity;
  if (acc.noise === 0) return 0;
  return acc.signal === 0 ? Infinity : acc.noise / acc.signal;
}

/** SQNR in dB of the noise a node adds: output NSR less input NSR (+Infinity when ≤ 0 or the input is already lost). */
export function addedSqnrDb(outputNsr: number, inputNsr: number): number {
  if (inputNsr === Infinity) return Infinity;
  const added = outputNsr - inputNsr;
  return added > 0 ? -10 * Math.log10(added) : Infinity;
}

function tensorError(p: TensorPair, acc: ErrorAccumulator): TensorError {
  return { tensor: p.reference, candidateTensor: p.candidate, sqnrDb: acc.sqnrDb, cosine: acc.cosine, maxAbsError: acc.maxAbsError, elements: acc.elements };
}

/**
 * Runs `reference` and `candidate` on every batch (one run per batch per model, every
 * compared tensor fetched at once; statistics accumulated, activations dropped) and
 * reports, for each candidate node touched by quantization and matched to the
 * reference by output name, the SQNR, cosine similarity and max abs error of its
 * output, and the same for the model outputs.
 *
 * Example: `const r = await compareModels(fp32, int8, ortNode, [{ input: x }]);
 * r.outputs[0].sqnrDb` is the logits' SQNR in dB.
 */
export async function compareModels(
  reference: Model,
  candidate: Model,
  executor: Executor,
  batches: Iterable<Feeds> | AsyncIterable<Feeds>,
  options: CompareOptions = {},
): Promise<CompareReport> {
  const plan = planProbes(reference, candidate);
  const pairs: TensorPair[] = [];
  const slot = new Map<string, number>();
  const indexOf = (p: TensorPair): number => {
    const key = `${p.reference}\u0000${p.candidate}`;
    let i = slot.get(key);
    if (i === undefined) {
      i = pairs.push(p) - 1;
      slot.set(key, i);
    }
    return i;
  };
  const outputSlots = plan.outputs.map(indexOf);
  const probes = options.outputsOnly ? [] : plan.nodes;
  const nodeSlots = probes.map((n) => ({ output: indexOf(n.output), inputs: n.inputs.map(indexOf) }));
  const m = await measureErrors(reference, candidate, executor, batches, pairs, options, { argmaxPairs: new Set(outputSlots) });

  const outputs = plan.outputs
    .map((p, k) => {
      const e: TensorError = tensorError(p, m.stats[outputSlots[k]!]!);
      const top1 = m.argmax.get(outputSlots[k]!);
      if (top1) e.top1Agreement = top1.rate;
      return { k, e };
    })
    .filter(({ k }) => !m.skipped.has(outputSlots[k]!))
    .map(({ e }) => e)
    .sort(byWorstSqnr);
  const nodes: NodeError[] = [];
  probes.forEach((probe, k) => {
    const s = nodeSlots[k]!;
    if (m.skipped.has(s.output)) return;
    const out = m.stats[s.output]!;
    const inputs = new ErrorAccumulator();
    for (const i of s.inputs) {
      if (m.skipped.has(i)) continue;
      const a = m.stats[i]!;
      inputs.signal += a.signal;
      inputs.noise += a.noise;
      inputs.nonFinite += a.nonFinite;
    }
    const inputSqnr = inputs.sqnrDb;
    nodes.push({
      node: probe.node, opType: probe.opType, order: probe.order,
      ...tensorError(probe.output, out),
      inputSqnrDb: inputSqnr,
      addedSqnrDb: addedSqnrDb(nsrOf(out), nsrOf(inputs)),
    });
  });
  nodes.sort(byWorstSqnr);
  // Non-float inputs (shapes, indices, masks) are left out silently; non-float outputs are listed.
  const shown = new Set([...outputSlots, ...nodeSlots.map((s) => s.output)]);
  const skipped = [...m.skipped].filter(([i]) => shown.has(i)).map(([i, reason]) => ({ tensor: pairs[i]!.reference, reason }));
  return { batches: m.batches, samples: m.samples, outputs, nodes, unmatched: plan.unmatched, skipped };
}
