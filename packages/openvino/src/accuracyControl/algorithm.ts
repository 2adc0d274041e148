/**
 * `quantizeWithAccuracyControl`, as NNCF's `nncf.quantize_with_accuracy_control`: quantize,
 * measure the caller's metric on the float and the quantized model, and when the drop is
 * above `maxDrop` revert the quantized nodes that hurt most to float until it is not.
 *
 * Made to take minutes: calibration runs once (`prepareStatic` observing every value a
 * quantizable node touches) and each candidate is converted from that state
 * (`convertStatic` with the reverted nodes kept float), never recalibrated; the nodes are
 * ranked once, on a few validation items, by the noise each adds (see ranker.ts); and the
 * search bisects the ranked list (see search.ts) instead of reverting one node per step,
 * then a refinement gives back to quantization the reverted entries that were not needed.
 * The model returned is always one whose metric was measured.
 */
import {
  checkBackendResult, convertStatic, prepareStatic, QtkError, resolveBackend,
  type Model, type StaticConversion,
} from '@qtk/core';
import type { Dataset } from '../dataset.js';
import { backendOf, staticOptionsFor, subsetSizeOf } from '../quantize.js';
import { dropOptions, metricDrop } from './drop.js';
import { Evaluator } from './evaluator.js';
import { checkFeedsFit } from './feedsFit.js';
import { rankNodes, revertedNodes } from './ranker.js';
import { refine, smallestPassing } from './search.js';
import type {
  AccuracyControlContext, AccuracyControlOptions, AccuracyControlReport, AccuracyProgress, AccuracyStep,
  RankedNode, SearchStrategy, ValidateFn,
} from './types.js';

/** Validation items the ranking uses by default. */
export const DEFAULT_RANKING_SUBSET_SIZE = 16;

/** The op types counted as compute ops in the report. */
export const COMPUTE_OP_TYPES: readonly string[] = ['Conv', 'ConvTranspose', 'MatMul', 'Gemm'];

/** Refinement evaluations by default. */
export const DEFAULT_REFINE_STEPS = 16;

/** A candidate measured: its conversion, metric, drop, how many ranked entries it reverts and the nodes kept float. */
interface Measured {
  conversion: StaticConversion;
  metric: number;
  drop: number;
  reverted: number;
  keep: string[];
}

/** A whole number ≥ 1 (E_OPTION naming `option` otherwise). */
function positiveInteger(value: number, option: string): number {
  if (!Number.isInteger(value) || value < 1) throw new QtkError('E_OPTION', `option ${option}=${value}: give a whole number ≥ 1`, { option });
  return value;
}

/** Checks every feed of `dataset` (its first `limit` items) against `model`'s inputs. */
function checkDataset(model: Model, dataset: Dataset<any>, name: string, limit = dataset.size): void {
  for (let i = 0; i < Math.min(limit, dataset.size); i++) checkFeedsFit(model, dataset.feedsAt(i), `${name} item ${i}`);
}

/** `0.0123` as `0.0123`, short. */
const fmt = (x: number): string => (Math.abs(x) >= 1e-3 || x === 0 ? x.toFixed(4) : x.toExponential(2));

/**
 * Quantizes `model` on `calibrationDataset` (its first `subsetSize` items), then keeps the
 * drop of `validate` on `validationDataset` within `maxDrop` by reverting the worst-ranked
 * quantized nodes to float. `validate(run, dataset)` returns a number, higher is better.
 * Errors (E_OPTION on option `validate`): a metric that throws or gives NaN; (E_SHAPE,
 * E_DTYPE, E_CALIB_DATA) an item whose feeds do not fit the model, naming the input. A
 * bound no mix reaches, all nodes reverted included, is not an error: `report.reached` is
 * false, `report.note` says so, and the best model measured is returned.
 */
export async function quantizeWithAccuracyControl<T, V>(
  model: Model,
  calibrationDataset: Dataset<T>,
  validationDataset: Dataset<V>,
  validate: ValidateFn<V>,
  options: AccuracyControlOptions = {},
  ctx: AccuracyControlContext,
): Promise<{ model: Model; report: AccuracyControlReport }> {
  const t0 = performance.now();
  const { maxDrop, dropType } = dropOptions(options);
  const search: SearchStrategy = options.search ?? 'bisect';
  if (search !== 'bisect' && search !== 'sequential') throw new QtkError('E_OPTION', `option search='${String(search)}': give 'bisect' or 'sequential'`, { option: 'search' });
  const rankingSize = positiveInteger(options.rankingSubsetSize ?? DEFAULT_RANKING_SUBSET_SIZE, 'rankingSubsetSize');
  const refineSteps = options.refineSteps ?? DEFAULT_REFINE_STEPS;
  if (!Number.isInteger(refineSteps) || refineSteps < 0) throw new QtkError('E_OPTION', `option refineSteps=${refineSteps}: give a whole number ≥ 0`, { option: 'refineSteps' });
  const calibration = calibrationDataset.subset(subsetSizeOf(options));
  if (validationDataset.size === 0) throw new QtkError('E_OPTION', 'the validation dataset is empty', { option: 'validationDataset' });
  const backendRef = backendOf(ctx);
  const backend = resolveBackend(backendRef, ctx.registry);
  checkDataset(model, validationDataset, 'validation dataset');
  checkDataset(model, calibration, 'calibration dataset');

  const evaluator = new Evaluator(ctx.executor, validate as ValidateFn, validationDataset);
  const progress = (p: Omit<AccuracyProgress, 'evaluations'>) => ctx.onProgress?.({ ...p, evaluations: evaluator.evaluations });

  const initialMetric = await evaluator.metric(model, 'the float model');
  progress({ stage: 'validate', metric: initialMetric, drop: 0, detail: `float model: metric ${fmt(initialMetric)}` });

  const state = await prepareStatic(model, staticOptionsFor(model, options, backend), {
    backend, executor: ctx.executor, calibration, calibrationBatches: calibration.size,
    onProgress: (p) => { if (p.phase === 'calibrate') progress({ stage: 'calibrate', detail: `calibration ${p.done}/${p.total ?? '?'}` }); },
  }, { observeAll: true });
  const quantized = convertStatic(state);
  const quantizedMetric = await evaluator.metric(quantized.model, 'the quantized model');
  const quantizedDrop = metricDrop(initialMetric, quantizedMetric, dropType);
  progress({ stage: 'validate', reverted: 0, metric: quantizedMetric, drop: quantizedDrop, detail: `quantized model: metric ${fmt(quantizedMetric)}, drop ${fmt(quantizedDrop)} (max ${fmt(maxDrop)})` });

  const steps: AccuracyStep[] = [];
  let ranking: RankedNode[] = [];
  let chosen: Measured = { conversion: quantized, metric: quantizedMetric, drop: quantizedDrop, reverted: 0, keep: [] };
  let reached = quantizedDrop <= maxDrop;
  let note: string | undefined;
  if (!reached) {
    const rankingBatches = validationDataset.subset(rankingSize);
    progress({ stage: 'rank', detail: `ranking ${quantized.units.length} quantized nodes and their quantizers on ${rankingBatches.size} validation items` });
    ranking = await rankNodes(state.model, quantized, ctx.executor, [...rankingBatches]);
    const reason = `accuracy control: reverted to float to keep the metric drop within ${maxDrop} (${dropType})`;
    // Each set of float nodes is converted and measured once (entries' groups overlap).
    const measured = new Map<string, Measured>();
    let best = chosen;
    const measure = async (entries: readonly RankedNode[], stage: 'search' | 'refine'): Promise<Measured> => {
      const keep = revertedNodes(entries, entries.length);
      const key = [...keep].sort().join('\u0000');
      const known = measured.get(key);
      if (known) return known;
      const conversion = convertStatic(state, new Set(keep), reason);
      const metric = await evaluator.metric(conversion.model, `the model with ${keep.length} node${keep.length === 1 ? '' : 's'} reverted`);
      const drop = metricDrop(initialMetric, metric, dropType);
      const withinMaxDrop = drop <= maxDrop;
      steps.push({ stage, reverted: entries.length, floatNodes: keep.length, metric, drop, withinMaxDrop });
      progress({ stage, reverted: entries.length, metric, drop, detail: `${entries.length}/${ranking.length} ranked entries reverted (${keep.length} nodes float): metric ${fmt(metric)}, drop ${fmt(drop)} ${withinMaxDrop ? '≤' : '>'} ${fmt(maxDrop)}` });
      const m = { conversion, metric, drop, reverted: entries.length, keep };
      measured.set(key, m);
      if (metric > best.metric) best = m;
      return m;
    };
    const within = (m: Measured) => m.drop <= maxDrop;
    const k = ranking.length ? await smallestPassing(ranking.length, async (k) => within(await measure(ranking.slice(0, k), 'search')), search) : undefined;
    if (k !== undefined) {
      const found = await measure(ranking.slice(0, k), 'search');
      chosen = await refine(ranking.slice(0, k), found, async (entries) => { const m = await measure(entries, 'refine'); return within(m) ? m : undefined; }, refineSteps);
      reached = true;
    } else {
      chosen = best;
      note = ranking.length
        ? `the drop stays above ${maxDrop} (${dropType}) even with all ${ranking.length} ranked nodes and quantizers reverted to float; the model returned is the best measured (${chosen.keep.length} nodes float, drop ${fmt(chosen.drop)})`
        : `the drop ${fmt(quantizedDrop)} is above ${maxDrop} (${dropType}) and no quantized node can be reverted`;
    }
  }
  checkBackendResult(backend, chosen.conversion.model);
  const { conversion } = chosen;
  const quantizedNames = new Set(conversion.quantized.map((n) => n.name));
  const opTypes = new Map(state.model.graph.nodes.map((n) => [n.name, n.opType]));
  const compute = state.model.graph.nodes.filter((n) => COMPUTE_OP_TYPES.includes(n.opType));
  const report: AccuracyControlReport = {
    maxDrop, dropType, initialMetric, quantizedMetric, finalMetric: chosen.metric, drop: chosen.drop, reached,
    reverted: chosen.keep.map((name) => ({ name, opType: opTypes.get(name) ?? '' })),
    ranking, steps, evaluations: evaluator.evaluations,
    computeOps: { quantized: compute.filter((n) => quantizedNames.has(n.name)).length, total: compute.length },
    quantized: conversion.quantized, float: conversion.float,
    samples: { calibration: calibration.size, validation: validationDataset.size, ranking: ranking.length ? Math.min(rankingSize, validationDataset.size) : 0 },
    seconds: (performance.now() - t0) / 1000,
    ...(note && { note }),
  };
  progress({ stage: 'done', metric: chosen.metric, drop: chosen.drop, reverted: chosen.reverted, detail: `${reached ? 'within' : 'NOT within'} max drop: metric ${fmt(chosen.metric)}, drop ${fmt(chosen.drop)}, ${chosen.keep.length} nodes reverted, ${report.seconds.toFixed(1)} s` });
  return { model: conversion.model, report };
}
