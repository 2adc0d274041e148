/**
 * TensorRT's Q/DQ placement rules on tiny models built in code (after Model Optimizer's
 * rule tests): each test checks where Q/DQ lands and that onnxruntime runs the result close
 * to the float model.
 */
import { describe, expect, it } from 'vitest';
import type { StaticQuantizeOptions } from '@qtk/core';
import { basicBlock, convBiasAdd, convLayerNorm, convReluMaxPool, convTranspose, mlp, singleMatMul, type RuleModel } from '../test-support/ruleModels.js';
import { Tensor } from '@qtk/core';
import { buildBertEncoder } from '@qtk/models';
import { outputSqnrDb, quantizeForTrt } from '../test-support/quantizeForTrt.js';
import { dequantizedInputs, dequantizerOf, inputProducers, nodeNamed, quantizedSource, weightDequant, zeroPoints } from '../test-support/qdqGraph.js';
import { MIN_GEMM_DIM } from './ops/gemmShape.js';

/** Quantizes a rule model for TensorRT and checks that onnxruntime runs it within `minDb` of float. */
async function quantizeAndRun(rm: RuleModel, options: StaticQuantizeOptions = {}, minDb = 25) {
  const q = await quantizeForTrt(rm.model, rm.calibration, options);
  expect(await outputSqnrDb(rm.model, q.model, rm.probe)).toBeGreaterThan(minDb);
  return q;
}

describe('TensorRT Q/DQ placement rules', () => {
  it('Conv + bias Add (kept, preprocessing off): Q/DQ on the Conv data input and weight (int8, per output channel on axis 0), none on the Add', async () => {
    const { model, report } = await quantizeAndRun(convBiasAdd(), { preprocess: false });
    const conv = nodeNamed(model, '/conv/Conv');
    expect(dequantizedInputs(model, conv)).toEqual([true, true]);
    const w = weightDequant(model, conv, 1);
    expect([w.values.dtype, w.axis, w.scale.size]).toEqual(['int8', 0, 64]);
    const add = nodeNamed(model, '/BiasAdd');
    expect(inputProducers(model, add)).toEqual(['Conv', 'initializer']);
    expect(report.float.find((f) => f.name === '/BiasAdd')?.reason).toMatch(/constant/);
  });

  it.each([
    ['folded BN (Conv with bias → Add)', true],
    ['BatchNormalization kept (Conv → BN → Add)', false],
  ])('BasicBlock without downsample, %s: exactly one quantized Add input, the skip branch; the Conv side stays float', async (_name, foldBn) => {
    const { model } = await quantizeAndRun(basicBlock({ downsample: false, foldBn }), { preprocess: foldBn });
    const add = nodeNamed(model, '/block/Add');
    expect(dequantizedInputs(model, add)).toEqual([false, true]);
    expect(quantizedSource(model, dequantizerOf(model, add.inputs[1]!)!)).toBe('/stem/Relu_output_0');
    expect(inputProducers(model, add)[0]).toBe(foldBn ? 'Conv' : 'BatchNormalization');
    for (const conv of model.graph.nodes.filter((n) => n.opType === 'Conv')) expect(dequantizedInputs(model, conv).slice(0, 2)).toEqual([true, true]);
    for (const bn of model.graph.nodes.filter((n) => n.opType === 'BatchNormalization')) expect(dequantizedInputs(model, bn)[0]).toBe(false);
  });

  it('BasicBlock with a downsample branch: the downsample Conv output is the quantized skip, the main Conv fuses the Add', async () => {
    const { model } = await quantizeAndRun(basicBlock({ downsample: true, foldBn: true }));
    const add = nodeNamed(model, '/block/Add');
    expect(dequantizedInputs(model, add)).toEqual([false, true]);
    const mainProducer = model.graph.nodes.find((n) => n.outputs.includes(add.inputs[0]!))!;
    expect(mainProducer.name).toBe('/block/conv2/Conv');
    const skipSource = quantizedSource(model, dequantizerOf(model, add.inputs[1]!)!);
    expect(model.graph.nodes.find((n) => n.outputs.includes(skipSource!))!.name).toBe('/block/downsample/0/Conv');
  });

  it('Conv-Relu-MaxPool-Conv: Q/DQ on the MaxPool input (the Relu output), its output shares that scale for the next Conv; nothing on the Conv output before the Relu', async () => {
    const { model } = await quantizeAndRun(convReluMaxPool());
    const pool = nodeNamed(model, '/maxpool/MaxPool');
    const relu = nodeNamed(model, '/relu/Relu');
    const conv2 = nodeNamed(model, '/conv2/Conv');
    expect(dequantizedInputs(model, relu)).toEqual([false]);
    expect(dequantizedInputs(model, pool)).toEqual([true]);
    expect(dequantizedInputs(model, conv2)).toEqual([true, true]);
    const scaleIn = dequantizerOf(model, pool.inputs[0]!)!.inputs[1]!;
    const scaleOut = dequantizerOf(model, conv2.inputs[0]!)!.inputs[1]!;
    expect(model.graph.initializers.get(scaleOut)!.get(0)).toBe(model.graph.initializers.get(scaleIn)!.get(0));
  });

  it('ConvTranspose: weight per output channel on axis 1 (32 scales for W [16, 32, 2, 2]); the bias stays float', async () => {
    const { model } = await quantizeAndRun(convTranspose());
    const up = nodeNamed(model, '/up/ConvTranspose');
    expect(dequantizedInputs(model, up)).toEqual([true, true, false]);
    const w = weightDequant(model, up, 1);
    expect([w.values.dtype, w.axis, w.scale.size]).toEqual(['int8', 1, 32]);
    expect(model.graph.initializers.get(up.inputs[2]!)!.dtype).toBe('float32');
  });

  it.each([
    ['GEMV: [1, 64] x [64, 32]', [1, 64], 32, /GEMV/],
    [`N below ${MIN_GEMM_DIM}: [4, 8, 64] x [64, 8]`, [4, 8, 64], 8, /N = 8 < 16/],
    [`K below ${MIN_GEMM_DIM}: [4, 8, 8] x [8, 64]`, [4, 8, 8], 64, /K = 8 < 16/],
  ] as const)('%s stays float with its reason, and onnxruntime runs it exactly', async (_name, shape, n, reason) => {
    const rm = singleMatMul([...shape], n);
    const { model, report } = await quantizeForTrt(rm.model, rm.calibration);
    expect(model.graph.nodes.map((x) => x.opType)).toEqual(['MatMul']);
    expect(report.float.find((f) => f.name === '/fc/MatMul')?.reason).toMatch(reason);
    expect(await outputSqnrDb(rm.model, model, rm.probe)).toBe(Infinity);
  });

  it('a [4, 8, 64] x [64, 32] MatMul is large enough: both inputs quantized, weight per column (axis 1)', async () => {
    const { model } = await quantizeAndRun(singleMatMul([4, 8, 64], 32));
    const mm = nodeNamed(model, '/fc/MatMul');
    expect(dequantizedInputs(model, mm)).toEqual([true, true]);
    expect(weightDequant(model, mm, 1).axis).toBe(1);
  });

  it('MLP: every MatMul has quantized data and weight inputs (weights per output column), bias Adds get no Q/DQ', async () => {
    const { model } = await quantizeAndRun(mlp());
    const matmuls = model.graph.nodes.filter((n) => n.opType === 'MatMul');
    expect(matmuls).toHaveLength(3);
    for (const mm of matmuls) {
      expect(dequantizedInputs(model, mm)).toEqual([true, true]);
      expect(weightDequant(model, mm, 1).axis).toBe(1);
    }
    for (const add of model.graph.nodes.filter((n) => n.opType === 'Add')) expect(dequantizedInputs(model, add)).toEqual([false, false]);
  });

  it('Conv → LayerNormalization: the LayerNorm data input (the Conv output) is quantized, its scale and bias are not', async () => {
    const { model } = await quantizeAndRun(convLayerNorm());
    expect(dequantizedInputs(model, nodeNamed(model, '/ln/LayerNormalization'))).toEqual([true, false, false]);
    expect(dequantizedInputs(model, nodeNamed(model, '/conv/Conv'))).toEqual([true, true]);
  });

  it("BERT-like encoder: the 6 linear MatMuls are quantized, the attention MatMuls (Q·Kᵀ, P·V), LayerNorms and Adds stay float (listed in the report)", async () => {
    const ids = (seed: number) => ({
      input_ids: Tensor.int64(Array.from({ length: 16 }, (_, i) => (i * 37 + seed) % 1000), [1, 16]),
      attention_mask: Tensor.int64(new Array(16).fill(1), [1, 16]),
    });
    const float = buildBertEncoder({ seed: 5, layers: 1 });
    const { model, report } = await quantizeForTrt(float, [ids(1), ids(2)]);
    expect(await outputSqnrDb(float, model, ids(3))).toBeGreaterThan(20);
    const matmuls = model.graph.nodes.filter((n) => n.opType === 'MatMul');
    const quantized = matmuls.filter((n) => dequantizedInputs(model, n).every(Boolean));
    expect(quantized).toHaveLength(6);
    const attention = report.float.filter((f) => f.opType === 'MatMul');
    expect(attention).toHaveLength(2);
    for (const f of attention) expect(f.reason).toMatch(/attention MatMul/);
    const floatNames = new Set(report.float.map((f) => f.name));
    for (const n of float.graph.nodes.filter((x) => x.opType === 'LayerNormalization' || x.opType === 'Add')) expect(floatNames.has(n.name), n.name).toBe(true);
  });

  it('every zero point in every rule model output is 0 (symmetric activations and weights)', async () => {
    const models = [convBiasAdd(), basicBlock({ downsample: false, foldBn: true }), basicBlock({ downsample: true, foldBn: true }), convReluMaxPool(), convTranspose(), mlp(), convLayerNorm()];
    for (const rm of models) {
      const { model } = await quantizeForTrt(rm.model, rm.calibration);
      const zps = zeroPoints(model);
      expect(zps.size).toBeGreaterThan(0);
      for (const [node, values] of zps) expect(values.every((z) => z === 0), node).toBe(true);
    }
  });
});
