/**
 * INT4 weight-only quantization for TensorRT: every MatMul/Gemm weight becomes symmetric INT4
 * blocks along the reduction axis, read through DequantizeLinear(int4 weight, scale) with
 * `axis` and `block_size` (opset 21, zero point omitted); activations stay float. With
 * `awq_lite` (default) each layer's input channels are first rescaled by Model Optimizer's
 * activation-aware scale search on calibration data (see awqSearch.ts, foldScale.ts).
 */
import {
  cloneModel, convertWeightOnly, QtkError, type Executor, type Feeds, type Model, type QuantizeContext,
} from '@qtk/core';
import { alphaGrid, resolveInt4Options, type Int4Options } from './int4Options.js';
import { ActivationMean, weightMean } from './awqScale.js';
import { layerMeter, scaledOutputError, searchAwqScale, type LayerData } from './awqSearch.js';
import { findAwqGroups, weightKN } from './awqSites.js';
import { collectActivations } from './collectActivations.js';
import { foldInputScale } from './foldScale.js';
import type { Int4LayerReport, Int4Result, Int4ScaledInput } from './report.js';
import { dropZeroPoints } from './zeroPoint.js';

/** What `quantizeInt4` runs the float model with: core's executor and calibration batches (awq_lite only). */
export type Int4Context = Pick<QuantizeContext, 'executor' | 'calibration'>;

/**
 * Quantizes the MatMul/Gemm weights of a copy of `model` to INT4 blocks for TensorRT.
 * Example: `await quantizeInt4(model, { blockSize: 64 }, { executor: ortNode, calibration: batches })`.
 * Throws E_OPTION for a block size other than 128 or 64, an unknown algorithm, or awq_lite without
 * an executor or calibration data; E_CALIB_DATA for an empty calibration set.
 */
export async function quantizeInt4(model: Model, options: Int4Options = {}, ctx: Int4Context = {}): Promise<Int4Result> {
  const o = resolveInt4Options(options);
  const m = cloneModel(model);
  let layers: Int4LayerReport[] = [];
  let scaledInputs: Int4ScaledInput[] = [];
  if (o.algorithm === 'awq_lite') {
    if (!ctx.executor || !ctx.calibration) {
      const missing = [!ctx.executor && 'an executor', !ctx.calibration && 'calibration data'].filter(Boolean).join(' and ');
      throw new QtkError('E_OPTION', `INT4 algorithm 'awq_lite' needs ${missing} to measure the layers' inputs; give them, or use algorithm 'rtn'`, { option: 'algorithm' });
    }
    ({ layers, scaledInputs } = await applyAwqLite(m, o.blockSize, alphaGrid(o.alphaStep), o.exclude, ctx.executor, ctx.calibration));
  }
  const result = convertWeightOnly(m, {
    weightType: 'int4', blockSize: o.blockSize, symmetric: true, narrowRange: true, scheme: 'uniform', codebookSize: 16,
    opTypes: ['MatMul', 'Gemm'], exclude: o.exclude,
  });
  dropZeroPoints(m);
  const float = result.float.filter((f) => f.opType === 'MatMul' || f.opType === 'Gemm');
  return { model: m, report: { algorithm: o.algorithm, blockSize: o.blockSize, layers, scaledInputs, quantized: result.quantized, float } };
}

/** Searches, shares and folds the awq_lite scales of every group of `m` (in place). */
async function applyAwqLite(
  m: Model, blockSize: number, alphas: number[], exclude: string[], executor: Executor, calibration: Iterable<Feeds> | AsyncIterable<Feeds>,
): Promise<{ layers: Int4LayerReport[]; scaledInputs: Int4ScaledInput[] }> {
  const { groups } = findAwqGroups(m, exclude);
  if (!groups.length) return { layers: [], scaledInputs: [] };
  const channels = new Map(groups.map((gr) => [gr.input, gr.sites[0]!.k]));
  const mismatched = groups.find((gr) => gr.sites.some((s) => s.k !== gr.sites[0]!.k));
  if (mismatched) throw new QtkError('E_SHAPE', `layers reading '${mismatched.input}' have weights of different input channels`, { tensor: mismatched.input });
  const acts = await collectActivations(m, channels, executor, calibration);
  const layers: Int4LayerReport[] = [];
  const scaledInputs: Int4ScaledInput[] = [];
  for (const group of groups) {
    const rows = acts.get(group.input)!;
    const mean = new ActivationMean(rows.k);
    mean.add(rows.x);
    const xMean = mean.mean();
    const searched = group.sites.map((site) => {
      const layer: LayerData = { x: rows.x, w: weightKN(m, site), t: rows.t, k: site.k, n: site.n };
      const meter = layerMeter(layer);
      return { site, layer, meter, r: searchAwqScale(layer, blockSize, alphas, xMean, weightMean(layer.w, site.k, site.n, blockSize), meter) };
    });
    const shared = meanScale(searched.map((s) => s.r.scale));
    for (const { site, layer, meter, r } of searched) {
      const writtenMse = searched.length === 1 ? r.mse : scaledOutputError(layer, blockSize, shared, meter);
      layers.push({ node: site.node.name, opType: site.node.opType, weight: site.weight, input: group.input, alpha: r.alpha, mse: r.mse, rtnMse: r.rtnMse, writtenMse });
    }
    const producer = m.graph.nodes.find((n) => n.outputs.includes(group.input));
    const fold = foldInputScale(m, group, shared);
    scaledInputs.push({ input: group.input, nodes: group.sites.map((s) => s.node.name), fold, ...(fold === 'parent' ? { into: producer!.name } : {}) });
  }
  return { layers, scaledInputs };
}

/** The elementwise mean of the scales (float32). */
function meanScale(scales: Float32Array[]): Float32Array {
  if (scales.length === 1) return scales[0]!;
  const out = new Float32Array(scales[0]!.length);
  for (let c = 0; c < out.length; c++) out[c] = Math.fround(scales.reduce((a, s) => a + s[c]!, 0) / scales.length);
  return out;
}
