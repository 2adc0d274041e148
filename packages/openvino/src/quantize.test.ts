import { describe, expect, it } from 'vitest';
import { isQtkError } from '@qtk/core';
import { Dataset } from './dataset.js';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';
import { quantize } from './quantize.js';
import { digitFeeds, digits, digitsModel, testContext, type Digit } from './test-support/digits.js';
import { buildBertEncoder } from '@qtk/models';
import { tokenBatches } from './test-support/sqnrFixtures.js';

describe('quantize', () => {
  it('calibrates on the first subsetSize items only, through the transform', async () => {
    const used: number[] = [];
    const items = digits(0, 40);
    const ds = new Dataset(items.map((d, i) => ({ d, i })), ({ d, i }) => { used.push(i); return digitFeeds(d); });
    const { report } = await quantize(digitsModel(), ds, { subsetSize: 12 }, testContext);
    expect(report.calibration?.samples).toBe(12);
    expect(Math.max(...used)).toBe(11);
    expect(report.quantized.length).toBeGreaterThan(0);
  });

  it('quantizes with the openvino backend by default, its preset deciding the activations', async () => {
    const perf = await quantize(digitsModel(), new Dataset(digits(0, 8), digitFeeds), { preset: 'performance' }, testContext);
    expect(perf.report.options).toMatchObject({ method: 'mean-minmax', activationType: 'int8', symmetricActivations: true, biasCorrection: true, backendOptions: { preset: 'performance' } });
    const mixed = await quantize(digitsModel(), new Dataset(digits(0, 8), digitFeeds), { preset: 'mixed', fastBiasCorrection: false }, testContext);
    expect(mixed.report.options).toMatchObject({ activationType: 'uint8', symmetricActivations: false, biasCorrection: false });
  });

  it("gives another backend the preset's option defaults and the ignored scope as excluded nodes", async () => {
    const model = digitsModel();
    const conv = model.graph.nodes.find((n) => n.opType === 'Conv')!;
    const { report } = await quantize(model, new Dataset(digits(0, 8), digitFeeds), { ignoredScope: { names: [conv.name], types: ['Gemm'] } }, { ...testContext, backend: onnxruntimeBackend });
    expect(report.options).toMatchObject({ method: 'mean-minmax', activationType: 'int8', symmetricActivations: true });
    const quantized = new Set(report.quantized.map((n) => n.name));
    expect(quantized.has(conv.name)).toBe(false);
    expect(report.quantized.some((n) => n.opType === 'Gemm')).toBe(false);
    expect(report.quantized.some((n) => n.opType === 'Conv')).toBe(true);
  });

  it('refuses a subsetSize that is not a whole number ≥ 1', async () => {
    const ds = new Dataset<Digit>(digits(0, 4), digitFeeds);
    await expect(quantize(digitsModel(), ds, { subsetSize: 0 }, testContext)).rejects.toSatisfy((e) => isQtkError(e, 'E_OPTION') && /subsetSize/.test((e as Error).message));
  });

  it("runs SmoothQuant before quantizing with modelType 'transformer' (a smoothing Mul per shared MatMul input), and not without it", async () => {
    const bert = () => buildBertEncoder({ layers: 1, hidden: 32, heads: 2, intermediate: 64, seed: 0, outlierChannels: 2, outlierScale: 50 });
    const data = new Dataset(tokenBatches(1, 4, 1, 16, 1000));
    const smooth = (m: { graph: { nodes: { name: string }[] } }) => m.graph.nodes.filter((n) => n.name.includes('nncf_smooth_quant')).length;
    const transformer = await quantize(bert(), data, { modelType: 'transformer' }, testContext);
    expect(smooth(transformer.model)).toBeGreaterThan(0);
    const plain = await quantize(bert(), data, {}, testContext);
    expect(smooth(plain.model)).toBe(0);
  });

  it('says in the report that fastBiasCorrection=false leaves biases uncorrected, where NNCF would run its full BiasCorrection', async () => {
    const { report } = await quantize(digitsModel(), new Dataset(digits(0, 8), digitFeeds), { fastBiasCorrection: false }, testContext);
    expect(report.warnings.some((w) => /fastBiasCorrection=false/.test(w.message))).toBe(true);
  });
});
