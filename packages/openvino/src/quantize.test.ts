import { describe, expect, it } from 'vitest';
import { isQtkError } from '@qtk/core';
import { Dataset } from './dataset.js';
import { excludeFor, quantize } from './quantize.js';
import { digitFeeds, digits, digitsModel, testContext, type Digit } from './test-support/digits.js';

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

  it('uses symmetric mean-min-max activations and bias correction for the performance preset', async () => {
    const { report } = await quantize(digitsModel(), new Dataset(digits(0, 8), digitFeeds), { preset: 'performance' }, testContext);
    expect(report.options).toMatchObject({ method: 'mean-minmax', symmetricActivations: true, biasCorrection: true });
    const mixed = await quantize(digitsModel(), new Dataset(digits(0, 8), digitFeeds), { preset: 'mixed', fastBiasCorrection: false }, testContext);
    expect(mixed.report.options).toMatchObject({ symmetricActivations: false, biasCorrection: false });
  });

  it('keeps the nodes of ignoredScope (names, patterns, types) float', async () => {
    const model = digitsModel();
    const conv = model.graph.nodes.find((n) => n.opType === 'Conv')!;
    const { report } = await quantize(model, new Dataset(digits(0, 8), digitFeeds), { ignoredScope: { names: [conv.name], types: ['Gemm', 'MatMul'] } }, testContext);
    const quantized = new Set(report.quantized.map((n) => n.name));
    expect(quantized.has(conv.name)).toBe(false);
    expect(report.quantized.some((n) => n.opType === 'Gemm' || n.opType === 'MatMul')).toBe(false);
    expect(report.quantized.some((n) => n.opType === 'Conv')).toBe(true);
    expect(excludeFor(model, { patterns: ['^Conv'] })).toEqual(['/^Conv/']);
  });

  it('refuses a subsetSize that is not a whole number ≥ 1, and a missing backend', async () => {
    const ds = new Dataset<Digit>(digits(0, 4), digitFeeds);
    await expect(quantize(digitsModel(), ds, { subsetSize: 0 }, testContext)).rejects.toSatisfy((e) => isQtkError(e, 'E_OPTION') && /subsetSize/.test((e as Error).message));
    await expect(quantize(digitsModel(), ds, {}, { executor: testContext.executor })).rejects.toSatisfy((e) => isQtkError(e, 'E_OPTION') && /backend/.test((e as Error).message));
  });
});
