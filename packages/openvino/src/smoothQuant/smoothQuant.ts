/**
 * SmoothQuant (NNCF's post-training algorithm, the first step of its pipeline for
 * `modelType: 'transformer'`): per input channel j of a MatMul's (or Gemm's) activation,
 * s_j = max|X_j|^α / max|W_j|^(1−α); X is divided by s (a Mul by 1/s inserted after X's
 * producer, read by the group's MatMuls only, as NNCF's ONNX backend inserts it) and the
 * rows of W multiplied by s, so that the float model computes the same values while the
 * activation's outlier channels move into the weights, which are quantized per channel.
 */
import { cloneModel, QtkError, Tensor, type Model, type Node } from '@qtk/core';
import { groupScales, weightRowAbsMax } from './scales.js';
import { smoothGroups } from './targets.js';
import type { SmoothQuantStats } from './statistics.js';

/** NNCF's default alpha of MatMul layers (`AdvancedSmoothQuantParameters.matmul`). */
export const SMOOTH_QUANT_MATMUL_ALPHA = 0.95;

/** Options of `applySmoothQuant`. */
export interface SmoothQuantOptions {
  /** α of MatMul layers, in [0, 1] (default 0.95, NNCF's); a negative value turns smoothing off as in NNCF. */
  alpha?: number;
  /** Nodes not smoothed (say, the ignored scope). */
  skip?: ReadonlySet<Node>;
}

/** What `applySmoothQuant` did. */
export interface SmoothQuantResult {
  /** The smoothed copy of the model (the input model is not changed). */
  model: Model;
  /** The Mul nodes inserted, one per smoothed activation. */
  scaleNodes: string[];
  /** The MatMul nodes whose weights were scaled. */
  smoothed: string[];
}

/**
 * Smooths every MatMul group of `model` that has statistics in `stats` (from
 * `collectSmoothQuantStats` on the same model). Returns a copy; E_OPTION for an alpha
 * above 1 or not a number.
 * Example: `const { model: smooth } = applySmoothQuant(model, await collectSmoothQuantStats(model, ortNode, batches), { alpha: 0.95 })`.
 */
export function applySmoothQuant(model: Model, stats: SmoothQuantStats, options: SmoothQuantOptions = {}): SmoothQuantResult {
  const alpha = options.alpha ?? SMOOTH_QUANT_MATMUL_ALPHA;
  if (typeof alpha !== 'number' || Number.isNaN(alpha) || alpha > 1) {
    throw new QtkError('E_OPTION', `SmoothQuant alpha ${JSON.stringify(alpha)} must be a number in [0, 1] (negative turns smoothing off)`, { option: 'smoothQuantAlpha' });
  }
  const copy = cloneModel(model);
  const result: SmoothQuantResult = { model: copy, scaleNodes: [], smoothed: [] };
  if (alpha < 0) return result;
  const g = copy.graph;
  const skipNames = new Set([...(options.skip ?? [])].map((n) => n.name));
  const skip = new Set(g.nodes.filter((n) => skipNames.has(n.name)));
  for (const grp of smoothGroups(copy, skip)) {
    const act = stats.get(grp.value);
    if (!act || act.length !== grp.channels) continue;
    const weights = grp.weights.map((w) => g.initializers.get(w)!);
    const s = groupScales(act, weights.map((w, i) => weightRowAbsMax(w.data as Float32Array, grp.channels, grp.inAxes[i])), alpha);
    grp.weights.forEach((name, i) => g.initializers.set(name, scaleInputChannels(weights[i]!, s, grp.inAxes[i]!)));
    const mulName = `${grp.value}/nncf_smooth_quant`;
    const inv = `${mulName}_scale`, out = `${mulName}_output`;
    g.initializers.set(inv, new Tensor('float32', Float32Array.from(s, (v) => 1 / v), [grp.channels]));
    for (const n of grp.nodes) n.inputs[0] = out;
    const at = Math.min(...grp.nodes.map((n) => g.nodes.indexOf(n)));
    g.nodes.splice(at, 0, { name: mulName, opType: 'Mul', domain: '', inputs: [grp.value, inv], outputs: [out], attributes: [] });
    result.scaleNodes.push(mulName);
    result.smoothed.push(...grp.nodes.map((n) => n.name));
  }
  return result;
}

/** `w` [rows, cols] with input channel j (a row for `inAxis` 0, a column for 1) multiplied by `s[j]`. */
function scaleInputChannels(w: Tensor, s: Float32Array, inAxis: 0 | 1): Tensor {
  const src = w.data as Float32Array;
  const cols = w.dims[1]!;
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = src[i]! * s[inAxis === 0 ? Math.floor(i / cols) : i % cols]!;
  return new Tensor('float32', out, w.dims.slice());
}
