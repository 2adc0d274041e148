/**
 * SmoothQuant: NNCF's scale formula and clipping, the groups of MatMuls sharing one input,
 * the smoothed float model computing the original outputs, and the INT8 gain on a BERT encoder
 * with activation outlier channels (onnxruntime-node).
 */
import { describe, expect, it } from 'vitest';
import { createGraph, createModel, isQtkError, quantizeModel, Tensor, type Model } from '@qtk/core';
import { runOnce, sqnrOf } from '@qtk/core/testing';
import { Rng } from '@qtk/models';
import { buildBertEncoder } from '@qtk/models';
import { ortNode } from '@qtk/onnxruntime/node';
import { openvinoBackend } from '../backend.js';
import { outputSqnr, tokenBatches } from '../test-support/sqnrFixtures.js';
import { groupScales, quantile, scaleAndRatio } from './scales.js';
import { applySmoothQuant, SMOOTH_QUANT_MATMUL_ALPHA } from './smoothQuant.js';
import { collectSmoothQuantStats } from './statistics.js';
import { smoothQuantFor } from './smoothQuantStep.js';
import { smoothGroups } from './targets.js';

const OUT = 'last_hidden_state';
const bert = () => buildBertEncoder({ layers: 2, hidden: 64, heads: 4, intermediate: 256, seed: 0, outlierChannels: 2, outlierScale: 50 });
const calibration = tokenBatches(1, 8, 1, 32, 1000);
const heldOut = tokenBatches(2, 8, 1, 32, 1000);

describe('SmoothQuant scales (NNCF formula)', () => {
  it('s = act^alpha / wgt^(1-alpha), clipped below at the 10th percentile and above at 100', () => {
    // act^0.5 / wgt^0.5: [1, 2, 3, 1000]; the 10th percentile (linear) of those is 1.3; 1000 clips to 100.
    const { scales, ratio } = scaleAndRatio([1, 4, 9, 1e6], [1, 1, 1, 1], 0.5);
    // (The weight term carries NNCF's + float32 eps, hence close rather than equal.)
    [1.3, 2, 3, 100].forEach((v, j) => expect(scales[j]).toBeCloseTo(v, 5));
    expect(ratio).toBeCloseTo(1.3 / 100, 6);
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
  });

  it('statistics below 1e-5 are raised to 1e-5 (a zero channel gives a finite scale)', () => {
    const { scales } = scaleAndRatio([0, 1], [1, 0], 0.5);
    expect(scales.every(Number.isFinite)).toBe(true);
  });

  it('a group takes the scales of the layer with the largest min/max ratio', () => {
    const act = [4, 4, 4, 4];
    const flat = groupScales(act, [[1, 1, 1, 1]], 0.5);
    const picked = groupScales(act, [[1, 100, 1, 100], [1, 1, 1, 1]], 0.5);
    expect(Array.from(picked)).toEqual(Array.from(flat));
  });
});

describe('SmoothQuant on the BERT encoder', () => {
  it('groups: Q, K and V share one scale per layer; FFN up, FFN down and attention output get their own', () => {
    const groups = smoothGroups(bert());
    expect(groups.length).toBe(8);
    const qkv = groups.filter((g) => g.nodes.length === 3);
    expect(qkv.length).toBe(2);
    expect(qkv[0]!.nodes.map((n) => n.name)).toEqual(['/encoder/layer.0/attention/self/query/MatMul', '/encoder/layer.0/attention/self/key/MatMul', '/encoder/layer.0/attention/self/value/MatMul']);
  });

  it('statistics: the outlier channels of the LayerNorm output are far above the others', async () => {
    const float = bert();
    const stats = await collectSmoothQuantStats(float, ortNode, calibration.slice(0, 2));
    const ln = stats.get('/embeddings/LayerNorm/LayerNormalization_output_0')!;
    expect(ln.length).toBe(64);
    const others = Array.from(ln).filter((_, c) => c !== 16 && c !== 48);
    expect(Math.min(ln[16]!, ln[48]!)).toBeGreaterThan(10 * Math.max(...others));
  });

  it('the smoothed float model computes the original outputs (SQNR above 100 dB), one Mul per group', async () => {
    const float = bert();
    const stats = await collectSmoothQuantStats(float, ortNode, calibration);
    const { model, scaleNodes, smoothed } = applySmoothQuant(float, stats);
    expect(scaleNodes.length).toBe(8);
    expect(smoothed.length).toBe(12);
    expect(model.graph.nodes.filter((n) => scaleNodes.includes(n.name)).every((n) => n.opType === 'Mul')).toBe(true);
    expect(float.graph.nodes.some((n) => scaleNodes.includes(n.name))).toBe(false);
    expect(await outputSqnr(ortNode, float, model, heldOut, OUT)).toBeGreaterThan(100);
  });

  it('INT8 (openvino, preset performance, transformer rules): SmoothQuant raises held-out output SQNR by over 2 dB', async () => {
    const float = bert();
    const q = (m: Model) => quantizeModel(m, { backendOptions: { preset: 'performance', modelType: 'transformer' } }, { backend: openvinoBackend, executor: ortNode, calibration });
    const stats = await collectSmoothQuantStats(float, ortNode, calibration);
    const smooth = applySmoothQuant(float, stats, { alpha: SMOOTH_QUANT_MATMUL_ALPHA }).model;
    const without = await outputSqnr(ortNode, float, (await q(float)).model, heldOut, OUT);
    const withSq = await outputSqnr(ortNode, float, (await q(smooth)).model, heldOut, OUT);
    expect(withSq - without).toBeGreaterThan(2);
  });

  it('a negative alpha smooths nothing; an alpha above 1 is an E_OPTION error', () => {
    const float = bert();
    expect(applySmoothQuant(float, new Map(), { alpha: -1 }).scaleNodes).toEqual([]);
    const e = (() => { try { applySmoothQuant(float, new Map(), { alpha: 1.5 }); } catch (err) { return err; } })();
    expect(isQtkError(e, 'E_OPTION') && e.message.includes('alpha 1.5')).toBe(true);
  });

  it("smoothQuantFor: on for modelType 'transformer', off without it, and the ignored scope's MatMuls are not smoothed", async () => {
    const float = bert();
    expect((await smoothQuantFor(float, { modelType: 'transformer' }, ortNode, calibration.slice(0, 2))).smoothed.length).toBe(12);
    expect((await smoothQuantFor(float, { preset: 'performance' }, ortNode, calibration.slice(0, 2))).smoothed).toEqual([]);
    const scoped = await smoothQuantFor(float, { modelType: 'transformer', ignoredScope: { patterns: ['/encoder/layer.0/'] } }, ortNode, calibration.slice(0, 2));
    expect(scoped.smoothed.length).toBe(6);
    expect(scoped.smoothed.some((n) => n.startsWith('/encoder/layer.0/'))).toBe(false);
  });

  it('a Gemm with transB 1 and a MatMul reading the same input form one group; the smoothed model computes the same output', async () => {
    const rng = new Rng(3);
    const g = createGraph('g');
    g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [8, 4] } });
    g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: [8, 3] } });
    g.initializers.set('wg', new Tensor('float32', rng.normalArray(12), [3, 4]));
    g.initializers.set('bg', new Tensor('float32', rng.normalArray(3), [3]));
    g.initializers.set('wm', new Tensor('float32', rng.normalArray(12), [4, 3]));
    g.nodes.push({ name: 'gemm', opType: 'Gemm', domain: '', inputs: ['x', 'wg', 'bg'], outputs: ['a'], attributes: [{ name: 'transB', value: { kind: 'int', value: 1 } }] });
    g.nodes.push({ name: 'mm', opType: 'MatMul', domain: '', inputs: ['x', 'wm'], outputs: ['b'], attributes: [] });
    g.nodes.push({ name: 'add', opType: 'Add', domain: '', inputs: ['a', 'b'], outputs: ['y'], attributes: [] });
    const model = createModel(g, 17);
    const x = rng.normalArray(32);
    for (let i = 0; i < 8; i++) x[i * 4 + 2] = x[i * 4 + 2]! * 40;
    const feeds = { x: new Tensor('float32', x, [8, 4]) };
    const groups = smoothGroups(model);
    expect(groups.map((grp) => [grp.nodes.map((n) => n.name), grp.inAxes, grp.channels])).toEqual([[['gemm', 'mm'], [1, 0], 4]]);
    const stats = await collectSmoothQuantStats(model, ortNode, [feeds]);
    const { model: smooth, smoothed } = applySmoothQuant(model, stats);
    expect(smoothed).toEqual(['gemm', 'mm']);
    // Channel 2 of the Gemm's transposed weight (a column) grew with the outlier channel.
    const wg = smooth.graph.initializers.get('wg')!.data as Float32Array, wg0 = model.graph.initializers.get('wg')!.data as Float32Array;
    expect(Math.abs(wg[2]! / wg0[2]!)).toBeGreaterThan(5);
    const ref = (await runOnce(ortNode, model, feeds)).y!, got = (await runOnce(ortNode, smooth, feeds)).y!;
    expect(sqnrOf(ref.data as Float32Array, got.data as Float32Array)).toBeGreaterThan(100);
  });
});
