/**
 * Accuracy control on the digits CNN, with a synthetic metric: minus the noise-to-signal
 * ratio of the logits against the float model's on the validation images (0 for the float
 * model, below 0 the more quantization noise the model has).
 */
import { describe, expect, it } from 'vitest';
import { isQtkError, Tensor, type Executor, type Model } from '@qtk/core';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';
import { Dataset } from '../dataset.js';
import { quantize } from '../quantize.js';
import { digitFeeds, digits, digitsDataset, digitsModel, testContext, type Digit } from '../test-support/digits.js';
import { quantizeWithAccuracyControl } from './algorithm.js';
import type { AccuracyProgress, RunModel } from './types.js';

const calibration = digitsDataset(0, 32);
const validation = digitsDataset(1297, 24);

/** The float model's logits on the validation images. */
async function floatLogits(model: Model): Promise<Float32Array[]> {
  const s = await testContext.executor.createSession(model);
  const out: Float32Array[] = [];
  for (const f of validation) out.push((await s.run(f)).logits!.data as Float32Array);
  await s.release();
  return out;
}

/** −NSR of the logits against `reference`, over the dataset. */
const minusNsr = (reference: Float32Array[]) => async (run: RunModel, ds: Dataset<Digit>): Promise<number> => {
  let noise = 0, signal = 0, i = 0;
  for (const f of ds) {
    const q = (await run(f)).logits!.data as Float32Array;
    const r = reference[i++]!;
    for (let k = 0; k < r.length; k++) { noise += (q[k]! - r[k]!) ** 2; signal += r[k]! ** 2; }
  }
  return -noise / signal;
};

/** An executor that counts the sessions it creates. */
function counting(): Executor & { sessions: number } {
  const e = { name: 'counting', sessions: 0, createSession: (m: Model, o?: object) => { e.sessions++; return testContext.executor.createSession(m, o); } };
  return e;
}

describe('quantizeWithAccuracyControl', () => {
  it('reverts nodes to float until the synthetic metric is within maxDrop, and the model returned measures so', async () => {
    const model = digitsModel();
    const reference = await floatLogits(model);
    const metric = minusNsr(reference);
    const ptq = await quantize(model, calibration, {}, testContext);
    const s = await testContext.executor.createSession(ptq.model);
    const ptqMetric = await metric((f) => s.run(f), validation);
    await s.release();
    expect(ptqMetric).toBeLessThan(0);
    const maxDrop = -ptqMetric / 4;
    const progress: AccuracyProgress[] = [];
    const { model: q, report } = await quantizeWithAccuracyControl(model, calibration, validation, metric, { maxDrop }, { ...testContext, onProgress: (p) => progress.push(p) });
    expect(report.initialMetric === 0).toBe(true);
    expect(report.quantizedMetric).toBeCloseTo(ptqMetric, 10);
    expect(report.reached).toBe(true);
    expect(report.reverted.length).toBeGreaterThan(0);
    expect(report.drop).toBeLessThanOrEqual(maxDrop);
    expect(report.quantized.length).toBeLessThan(ptq.report.quantized.length);
    expect(report.computeOps.total).toBeGreaterThan(0);
    const floatNames = new Set(report.float.map((f) => f.name));
    for (const r of report.reverted) expect(floatNames.has(r.name)).toBe(true);
    // The model returned is the one measured: its metric, measured again, is the final metric.
    const check = await testContext.executor.createSession(q);
    expect(await metric((f) => check.run(f), validation)).toBeCloseTo(report.finalMetric, 12);
    await check.release();
    expect(progress.some((p) => p.stage === 'search' && p.drop !== undefined)).toBe(true);
    expect(progress.at(-1)!.stage).toBe('done');
  });

  it('bisection reverts the same nodes as the step-by-step search when the metric improves with each node reverted', async () => {
    const model = digitsModel();
    const metric = minusNsr(await floatLogits(model));
    // onnxruntime's placement: on it the digits metric grows with every node reverted.
    const ctx = { ...testContext, backend: onnxruntimeBackend };
    const ptq = await quantize(model, calibration, {}, ctx);
    const s = await testContext.executor.createSession(ptq.model);
    const maxDrop = -(await metric((f) => s.run(f), validation)) / 20;
    await s.release();
    const seq = await quantizeWithAccuracyControl(model, calibration, validation, metric, { maxDrop, search: 'sequential', refineSteps: 0 }, ctx);
    // Precondition: on this case the metric grows as nodes are reverted (monotone).
    const metrics = seq.report.steps.map((st) => st.metric);
    for (let i = 1; i < metrics.length; i++) expect(metrics[i]!).toBeGreaterThanOrEqual(metrics[i - 1]!);
    expect(seq.report.reverted.length).toBeGreaterThan(1);
    const bis = await quantizeWithAccuracyControl(model, calibration, validation, metric, { maxDrop, search: 'bisect', refineSteps: 0 }, ctx);
    expect(bis.report.reverted).toEqual(seq.report.reverted);
    expect(bis.report.finalMetric).toBe(seq.report.finalMetric);
  });

  it('reports a maxDrop that no model reaches, all nodes reverted included, without throwing', async () => {
    let calls = 0;
    // The float model scores 1, every other model 0: nothing but the original float model is within 0.5.
    const metric = async (run: RunModel, ds: Dataset<Digit>) => { await run(ds.feedsAt(0)); return calls++ === 0 ? 1 : 0; };
    const { report } = await quantizeWithAccuracyControl(digitsModel(), calibration, validation, metric, { maxDrop: 0.5 }, testContext);
    expect(report.reached).toBe(false);
    expect(report.note).toMatch(/even with all \d+ ranked nodes and quantizers reverted/);
    expect(report.steps.at(-1)!.reverted).toBe(report.ranking.length);
  });

  it('throws a QtkError on option validate, and gives no model, when the metric throws', async () => {
    let calls = 0;
    const metric = async () => { if (++calls === 2) throw new Error('label file missing'); return 1; };
    const err = await quantizeWithAccuracyControl(digitsModel(), calibration, validation, metric, {}, testContext).then(() => undefined, (e: unknown) => e);
    expect(isQtkError(err, 'E_OPTION')).toBe(true);
    expect((err as Error).message).toMatch(/validation function threw on the quantized model: label file missing/);
  });

  it('throws a QtkError when the metric returns NaN', async () => {
    const err = await quantizeWithAccuracyControl(digitsModel(), calibration, validation, () => Number.NaN, {}, testContext).then(() => undefined, (e: unknown) => e);
    expect(isQtkError(err, 'E_OPTION')).toBe(true);
    expect((err as Error).message).toMatch(/gave NaN on the float model/);
  });

  it('refuses validation items whose shape does not fit the model, naming the input and both shapes, before any session', async () => {
    const bad = new Dataset(digits(1297, 4), (d) => ({ input: new Tensor('float32', d.pixels.slice(0, 16), [1, 1, 4, 4]) }));
    const executor = counting();
    const err = await quantizeWithAccuracyControl(digitsModel(), calibration, bad, () => 1, {}, { ...testContext, executor }).then(() => undefined, (e: unknown) => e);
    expect(isQtkError(err, 'E_SHAPE')).toBe(true);
    expect((err as Error).message).toMatch(/validation dataset item 0: input 'input' has shape \[1, 1, 4, 4\], the model takes \[.*1, 8, 8\]/);
    expect(executor.sessions).toBe(0);
  });

  it('refuses validation items that miss an input, naming it', async () => {
    const bad = new Dataset(digits(1297, 2), (d) => ({ image: digitFeeds(d).input! }));
    const err = await quantizeWithAccuracyControl(digitsModel(), calibration, bad, () => 1, {}, testContext).then(() => undefined, (e: unknown) => e);
    expect(isQtkError(err, 'E_CALIB_DATA')).toBe(true);
    expect((err as Error).message).toMatch(/input 'input' is not fed \(the item gives 'image'\)/);
  });

  it('calibrates on subsetSize items and leaves a model within maxDrop as quantized, without ranking', async () => {
    const { report } = await quantizeWithAccuracyControl(digitsModel(), calibration, validation, () => 1, { subsetSize: 10 }, testContext);
    expect(report.samples.calibration).toBe(10);
    expect(report.reached).toBe(true);
    expect(report.reverted).toEqual([]);
    expect(report.ranking).toEqual([]);
    expect(report.evaluations).toBe(2);
  });
});
