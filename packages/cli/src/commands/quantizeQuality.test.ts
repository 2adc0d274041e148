/**
 * The quality check that ends `qtk quantize`: held-back samples in static mode, the data
 * given in dynamic mode, a hint without data, and a warning naming the worst layers
 * when the outputs are poor.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchSamples, encodeNpy, parseRawFloat32, quantizeModel, sliceRows, type Feeds, type Model } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { checkQuality, isPoor, poorQualityAdvice, POOR_OUTPUT_SQNR_DB } from '../qualityCheck.js';
import { useTempDir } from '../test-support/tempDir.js';
import { runCli } from '../test-support/cliRun.js';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

const DIGITS = fileURLToPath(new URL('../../../../fixtures/digits/', import.meta.url));
const MODEL = path.join(DIGITS, 'digits_cnn.onnx');
const tmp = useTempDir('qtk-cli-quality-');
let calib: string;
let feeds: Feeds[];

beforeAll(async () => {
  const x = parseRawFloat32(new Uint8Array(await fs.readFile(path.join(DIGITS, 'digits_x_f32_n1797_1x8x8.bin'))), [1797, 1, 8, 8]);
  calib = path.join(tmp(), 'calib64.npy');
  await fs.writeFile(calib, encodeNpy(sliceRows(x, 0, 64)));
  const model = await loadModelFile(MODEL);
  feeds = batchSamples(sliceRows(x, 0, 64), model.graph.inputs[0]!, { batchSize: 32 }).batches.map((t) => ({ input: t }));
});

describe('qtk quantize ends with the quality against the float model', () => {
  it('static: checks on samples held back from calibration and prints SQNR, cosine and argmax agreement', async () => {
    const r = await runCli('quantize', MODEL, '-o', path.join(tmp(), 's.onnx'), '--calib', calib);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('calibration: 6 samples held back to check quality on (--holdout N to change)');
    expect(r.stdout).toMatch(/^quality: output 'logits': SQNR \d+\.\d\d dB, cosine 0\.\d{6}, argmax agrees at \d+\.\d% of positions against the float model \(6 held-back samples\)$/m);
    expect(r.stdout).toMatch(/^time: \d+\.\d\d s \(quantize \d+\.\d\d s, quality check \d+\.\d\d s\)$/m);
    expect(r.stderr).not.toContain('warning:');
  });

  it('--holdout 0 calibrates on every sample and checks on calibration samples; a holdout of every sample is refused', async () => {
    const r = await runCli('quantize', MODEL, '-o', path.join(tmp(), 'h0.onnx'), '--calib', calib, '--holdout', '0');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("calibration: 64 samples [1,8,8] float32 from");
    expect(r.stdout).toMatch(/^quality: output 'logits': .*\(calibration samples: too few to hold some back\)$/m);
    const bad = await runCli('quantize', MODEL, '-o', path.join(tmp(), 'h64.onnx'), '--calib', calib, '--holdout', '64');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--holdout 64 leaves no calibration samples: there are 64');
  });

  it('dynamic without data says how to get the check; with --calib the data serves the check only', async () => {
    const none = await runCli('quantize', MODEL, '-o', path.join(tmp(), 'd.onnx'));
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('quality: not measured; give --calib DATA (a few samples) to compare the dynamic model\'s outputs with the float model\'s');
    const withData = await runCli('quantize', MODEL, '-o', path.join(tmp(), 'd2.onnx'), '--mode', 'dynamic', '--calib', calib);
    expect(withData.code).toBe(0);
    expect(withData.stdout).toContain('calibration: dynamic mode needs no calibration; the data serves the quality check');
    expect(withData.stdout).toMatch(/^quality: output 'logits': SQNR \d+\.\d\d dB.*\(64 samples of --calib\)$/m);
    expect(withData.stderr).not.toMatch(/^calibrate:/m);
  });

  it('mixed precision shows each step with its float nodes and output SQNR while it searches', async () => {
    const r = await runCli('quantize', MODEL, '-o', path.join(tmp(), 'mp.onnx'), '--calib', calib, '--min-output-sqnr', '50');
    expect(r.code).toBe(0);
    const steps = r.stderr.split('\n').filter((l) => l.startsWith('mixed precision: step '));
    expect(steps.length).toBeGreaterThanOrEqual(2);
    expect(steps[0]).toMatch(/^mixed precision: step 1: 0 nodes float, output SQNR \d+\.\d\d dB$/);
    expect(steps[1]).toMatch(/^mixed precision: step 2: [1-9]\d* nodes? float, output SQNR \d+\.\d\d dB/);
    expect(r.stdout).toMatch(/^mixed precision: \d+ nodes kept float for 50 dB output SQNR/m);
    expect(r.stdout).toMatch(/^time: \d+\.\d\d s \(quantize \d+\.\d\d s, of which mixed precision \d+\.\d\d s, quality check \d+\.\d\d s\)$/m);
  });

  it('data flags without --calib and calibration flags outside static mode are refused', async () => {
    const a = await runCli('quantize', MODEL, '-o', path.join(tmp(), 'x.onnx'), '--resize', '8,8');
    expect(a.code).not.toBe(0);
    expect(a.stderr).toContain('--resize applies to --calib DATA, which is not given');
    const b = await runCli('quantize', MODEL, '-o', path.join(tmp(), 'y.onnx'), '--mode', 'dynamic', '--calib', calib, '--holdout', '4');
    expect(b.code).not.toBe(0);
    expect(b.stderr).toContain('--holdout applies to static mode only');
  });
});

describe('checkQuality', () => {
  it('warns about poor outputs, naming the layer that adds the most noise and what to try', async () => {
    const float = await loadModelFile(MODEL);
    const { model: q } = await quantizeModel(float, {}, { backend: onnxruntimeBackend, executor: ortNode, calibration: feeds });
    // Spoil the second Conv: its int8 weights negated.
    const conv = q.graph.nodes.filter((n) => n.opType === 'Conv')[1]!;
    const dq = q.graph.nodes.find((n) => n.outputs[0] === conv.inputs[1])!;
    const w = q.graph.initializers.get(dq.inputs[0]!)!;
    const data = w.data as Int8Array;
    for (let i = 0; i < data.length; i++) data[i] = -data[i]!;
    const c = await checkQuality(float, q as Model, ortNode, feeds, 'test data');
    expect(c.worstDb).toBeLessThan(POOR_OUTPUT_SQNR_DB);
    expect(isPoor(c.report.outputs[0]!)).toBe(true);
    expect(c.warnings[0]).toMatch(/far from the float model's \(SQNR below 20 dB: 'logits' -?\d+\.\d\d dB, argmax changed at \d+\.\d% of positions\); check its accuracy on your task/);
    // The spoiled Conv is among the named layers (its noise also spoils the next Conv's added noise).
    expect(c.warnings[1]).toContain(`'${conv.name}' (Conv`);
    const named = c.warnings[1]!.match(/'([^']+)' \(/)![1];
    expect(c.warnings.at(-1)).toContain(`--exclude '${named}'`);
    expect(c.warnings.at(-1)).toContain('--min-output-sqnr');
    // Weight-only and dynamic runs read neither calibration methods nor mixed precision: the advice names what they read.
    expect(poorQualityAdvice(c.report, c.report.outputs, 'weight-only').at(-1)).toMatch(/^to try: smaller weight blocks \(--block-size\), or keeping those layers float \(--exclude [^)]+\)$/);
    expect(poorQualityAdvice(c.report, c.report.outputs, 'dynamic').at(-1)).toMatch(/^to try: keeping those layers float \(--exclude [^)]+\)$/);
  });

  it('a low-SQNR output whose argmax agrees at 99% or more is not poor; one without agreement is', () => {
    const base = { tensor: 'y', candidateTensor: 'y', cosine: 0.9, maxAbsError: 1, elements: 10 };
    expect(isPoor({ ...base, sqnrDb: 11, top1Agreement: 0.995 })).toBe(false);
    expect(isPoor({ ...base, sqnrDb: 11, top1Agreement: 0.9 })).toBe(true);
    expect(isPoor({ ...base, sqnrDb: 11 })).toBe(true);
    expect(isPoor({ ...base, sqnrDb: 25 })).toBe(false);
  });
});
