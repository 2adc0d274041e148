/**
 * Mixed precision: after the full INT8 conversion, keep the most sensitive nodes float
 * until the model outputs' SQNR against the float model reaches a bound.
 *
 * Sensitivity is the noise a node adds itself, measured in one run of both models:
 * the noise-to-signal ratio (NSR) of its output, as its consumers read it (after a fused
 * Relu/Clip and the output's Q/DQ), less the NSR of the activations it reads. Noise
 * passes through a layer about as the signal does, so the difference is what the layer
 * contributes. Unlike quantizing one layer at a time (one conversion and run per layer)
 * this costs one run per step whatever the size of the model. Its blind spot: SQNR sums
 * over a tensor, so damage to small channels next to large ones shows up only at the
 * consumer that reads those channels.
 *
 * The search is greedy, in growing batches (1, 2, 4, ... nodes per step): measure, keep
 * the most sensitive quantized nodes float, convert again from the same calibration
 * state (no second calibration), until the bound is met or no quantized node is left.
 * Then the nodes of the last batch but its most sensitive one are tried one by one,
 * least sensitive first (at most MAX_RESTORE_TRIES): a node is quantized again when
 * the bound still holds without it.
 * Calibration batches are consumed once, so the measurements run on the first
 * MIXED_PRECISION_BATCHES calibration batches, which `prepareStatic` keeps.
 */
import { QtkError } from '../errors/QtkError.js';
import type { Executor } from '../exec/executor.js';
import { compareModels } from '../compare/compareModels.js';
import { noiseToSignal } from '../compare/errorStats.js';
import { jsonNumber } from '../compare/jsonNumbers.js';
import { formatDb } from '../compare/format.js';
import type { CompareReport, NodeError } from '../compare/report.js';
import type { Model } from '../ir/graph.js';
import type { QuantPlan } from '../plan/quantPlan.js';
import type { Feeds, MixedPrecisionReport, Progress } from './types.js';

/** Calibration batches kept for the sensitivity measurements. */
export const MIXED_PRECISION_BATCHES = 8;

/** At most this many nodes of the last batch are tried for quantizing again. */
export const MAX_RESTORE_TRIES = 8;

/** A node that runs quantized (fused activations not listed), with its fused activation. */
export interface QuantizedUnit {
  name: string;
  opType: string;
  fused?: string;
}

/** One candidate of the search: a model written from a plan, and its quantized units. */
export interface PlannedConversion {
  model: Model;
  plan: QuantPlan;
  units: QuantizedUnit[];
}

/** What the search measures against: the float model and the calibration batches kept for it. */
export interface MixedPrecisionBase {
  readonly model: Model;
  readonly keptBatches: readonly Feeds[];
}

/** The lowest SQNR over the model outputs (+Infinity without outputs). */
function lowestOutputSqnr(cmp: CompareReport): number {
  return Math.min(...cmp.outputs.map((o) => o.sqnrDb));
}

/** The lowest output SQNR of a conversion against the float model, on the kept batches (outputs only). */
async function outputSqnr(state: MixedPrecisionBase, c: PlannedConversion, executor: Executor): Promise<number> {
  return lowestOutputSqnr(await compareModels(state.model, c.model, executor, state.keptBatches, { outputsOnly: true }));
}

/** `8 nodes float, output SQNR 31.20 dB`. */
function stepDetail(floatNodes: number, sqnr: number): string {
  return `${floatNodes} node${floatNodes === 1 ? '' : 's'} float, output SQNR ${formatDb(sqnr)} dB`;
}

/** A quantized node and the noise it adds (NSR, linear). */
export interface Sensitivity {
  name: string;
  opType: string;
  addedNsr: number;
}

/**
 * The units of `conversion` ranked by the noise they add, most first: for each, the
 * NSR of its output (its fused activation's when it has one) less the NSR of its inputs.
 * Nodes the comparison did not measure come last with 0.
 */
export function rankSensitivity(conversion: Pick<PlannedConversion, 'units'>, nodes: readonly NodeError[]): Sensitivity[] {
  const byName = new Map(nodes.map((n) => [n.node, n]));
  const ranked = conversion.units.map((u, order) => {
    const head = byName.get(u.name);
    const tail = (u.fused && byName.get(u.fused)) || head;
    let addedNsr = 0;
    if (head && tail) {
      const input = noiseToSignal(head.inputSqnrDb);
      const output = noiseToSignal(tail.sqnrDb);
      addedNsr = input === Infinity ? 0 : Math.max(0, output - input);
    }
    return { name: u.name, opType: u.opType, addedNsr, order };
  });
  ranked.sort((a, b) => b.addedNsr - a.addedNsr || a.order - b.order);
  return ranked.map(({ name, opType, addedNsr }) => ({ name, opType, addedNsr }));
}

/**
 * Searches for the smallest greedy set of float nodes whose conversion reaches
 * `minOutputSqnrDb` on the model outputs. `first` is the conversion with no node kept
 * float; `convert(keepFloat, reason)` places, plans and writes again from the same
 * calibration state (`convertStatic`): a node kept float changes what its neighbours' placement
 * is, so each candidate is a fresh plan rather than an edit of the last one.
 * Returns the chosen conversion and the report of every step.
 */
export async function searchMixedPrecision<C extends PlannedConversion>(
  state: MixedPrecisionBase,
  first: C,
  convert: (keepFloat: ReadonlySet<string>, reason: string) => C,
  executor: Executor,
  minOutputSqnrDb: number,
  onProgress?: (p: Progress) => void,
): Promise<{ conversion: C; report: MixedPrecisionReport }> {
  if (!state.keptBatches.length) {
    throw new QtkError('E_CALIB_DATA', 'mixed precision needs calibration batches kept by prepareStatic (keepBatches > 0)', { option: 'minOutputSqnrDb' });
  }
  const t0 = performance.now();
  const reason = `mixed precision: kept float to reach ${minOutputSqnrDb} dB output SQNR`;
  let keep: string[] = [];
  const steps: MixedPrecisionReport['steps'] = [];
  let conversion = first;
  let added: string[] = [];
  let take = 1;
  let reached = false;
  let samples = 0;
  for (let step = 0; ; step++) {
    const cmp = await compareModels(state.model, conversion.model, executor, state.keptBatches);
    samples = cmp.samples;
    const sqnr = lowestOutputSqnr(cmp);
    steps.push({ added, floatNodes: keep.length, outputSqnrDb: jsonNumber(sqnr) });
    onProgress?.({ phase: 'mixed-precision', done: steps.length, detail: stepDetail(keep.length, sqnr) });
    if (sqnr >= minOutputSqnrDb) { reached = true; break; }
    const ranked = rankSensitivity(conversion, cmp.nodes);
    if (!ranked.length) break;
    added = ranked.slice(0, take).map((s) => s.name);
    keep.push(...added);
    take *= 2;
    conversion = convert(new Set(keep), reason);
  }
  // Growing batches overshoot: try to quantize again the last batch's least sensitive nodes.
  if (reached && added.length > 1) {
    for (const name of added.slice(1).reverse().slice(0, MAX_RESTORE_TRIES)) {
      const trial = keep.filter((k) => k !== name);
      const c = convert(new Set(trial), reason);
      const sqnr = await outputSqnr(state, c, executor);
      const accepted = sqnr >= minOutputSqnrDb;
      steps.push({ added: [], restored: [name], accepted, floatNodes: trial.length, outputSqnrDb: jsonNumber(sqnr) });
      onProgress?.({ phase: 'mixed-precision', done: steps.length, detail: `${stepDetail(trial.length, sqnr)} without '${name}' (${accepted ? 'kept' : 'undone'})` });
      if (accepted) { keep = trial; conversion = c; }
    }
  }
  const allFloat = conversion.units.length === 0;
  const report: MixedPrecisionReport = {
    minOutputSqnrDb, reached, allFloat, keptFloat: keep, steps, batches: state.keptBatches.length, samples,
    seconds: (performance.now() - t0) / 1000,
  };
  if (allFloat && keep.length) {
    report.note = `no mix of quantized and float nodes reaches ${minOutputSqnrDb} dB: every quantizable node was kept float, so the model is not quantized`;
  } else if (!reached) {
    report.note = `${minOutputSqnrDb} dB was not reached and no quantized node is left to keep float`;
  }
  return { conversion, report };
}
