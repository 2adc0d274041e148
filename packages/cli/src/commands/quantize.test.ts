import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as core from '@qtk/core';
import { encodeNpy, parseRawFloat32, sliceRows, type Model, type Tensor } from '@qtk/core';
import { loadModelFile, saveModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';
import { accuracy } from './demo.js';
import { companionInputs } from '../calibInputs.js';
import { findImageFiles } from '../calibData.js';
import { loadImages, planImages } from '../imageCalib.js';
import { encodePng } from '../test-support/images.js';
import { formatQuantizeSummary, pickInput, progressReporter } from './quantize.js';
import { useTempDir } from '../test-support/tempDir.js';
import { runCli } from '../test-support/cliRun.js';

const DIGITS = fileURLToPath(new URL('../../../../fixtures/digits/', import.meta.url));
const MODEL = path.join(DIGITS, 'digits_cnn.onnx');
// These run once core exports quantizeModel (the pipeline is written separately).
const hasPipeline = typeof (core as Record<string, unknown>).quantizeModel === 'function';
// Histogram methods (percentile, entropy, mse) need core's histogram observer.
const hasHistogram = 'histogram' in core.BUILTIN_OBSERVERS;

const opCounts = (m: Model) => {
  const c: Record<string, number> = {};
  for (const n of m.graph.nodes) c[n.opType] = (c[n.opType] ?? 0) + 1;
  return c;
};

/** Logits of `model` on `x` through onnxruntime-node. */
async function logits(model: Model, x: Tensor): Promise<Tensor> {
  const s = await ortNode.createSession(model);
  try {
    return (await s.run({ input: x }, ['logits'])).logits!;
  } finally {
    await s.release();
  }
}

/** Fraction of rows where the argmax of `a` and `b` agree. */
function agreement(a: Tensor, b: Tensor): number {
  const [n, c] = a.dims as [number, number];
  const labels = new Uint8Array(n);
  const v = a.data as Float32Array;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (v[i * c + j]! > v[i * c + best]!) best = j;
    labels[i] = best;
  }
  return accuracy(b, labels);
}

const tmp = useTempDir('qtk-cli-quantize-');
let x: Tensor;
let test: Tensor;
let fp32Logits: Tensor;
beforeAll(async () => {
  x = parseRawFloat32(await fs.readFile(path.join(DIGITS, 'digits_x_f32_n1797_1x8x8.bin')), [1797, 1, 8, 8]);
  await fs.writeFile(path.join(tmp(), 'calib64.npy'), encodeNpy(sliceRows(x, 0, 64)));
  await fs.writeFile(path.join(tmp(), 'calib64.bin'), core.bytesOf(sliceRows(x, 0, 64).data));
  test = sliceRows(x, 1297, 1497);
  fp32Logits = await logits(await loadModelFile(MODEL), test);
});

describe.skipIf(!hasPipeline)('qtk quantize end to end on the digits CNN', () => {
  it('static with a 64-row .npy: writes a Q/DQ model that loads, runs in onnxruntime-node and agrees with FP32', async () => {
    const out = path.join(tmp(), 'static.onnx');
    const report = path.join(tmp(), 'static.json');
    const r = await runCli('quantize', MODEL, '-o', out, '--calib', path.join(tmp(), 'calib64.npy'), '--report', report);
    expect(r.stderr).not.toContain('qtk:');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('mode: static (default with --calib)');
    expect(r.stdout).toContain("calibration: 58 samples [1,8,8] float32 from");
    expect(r.stdout).toContain("-> input 'input', 2 batches of 32 (chosen for a 256.0 MiB activation budget at 0.");
    expect(r.stdout).toContain('calibration: 6 samples held back to check quality on');
    expect(r.stdout).toMatch(/^quality: output 'logits': SQNR \d+\.\d\d dB, cosine 0\.9\d+, argmax agrees at \d+\.\d% of positions against the float model \(6 held-back samples\)$/m);
    expect(r.stdout).toMatch(/^quantized \d+ ops: .*Conv 3/m);
    expect(r.stdout).toMatch(/^left float \d+ ops/m);
    expect(r.stdout).toMatch(/^size: 244034 -> \d+ bytes \(.*ratio 0\.\d{3}\)$/m);
    expect(r.stdout).toMatch(/^time: \d+\.\d\d s/m);

    const q = await loadModelFile(out);
    const ops = opCounts(q);
    expect(ops.QuantizeLinear).toBeGreaterThan(0);
    expect(ops.DequantizeLinear).toBeGreaterThan(0);
    const y = await logits(q, test);
    expect(y.dims).toEqual([200, 10]);
    expect(agreement(fp32Logits, y)).toBeGreaterThanOrEqual(0.95);

    const json = JSON.parse(await fs.readFile(report, 'utf8'));
    expect(json.report.mode).toBe('static');
    expect(json.calibration).toMatchObject({ input: 'input', samples: 58, batches: 2, batchSize: 32, heldBack: 6 });
    expect(json.sizes.after).toBe((await fs.stat(out)).size);
    expect(json.sizes.ratio).toBeLessThan(0.5);
  });

  it('static from a raw float32 file with --calib-shape, batch 16, per-tensor, int8 activations', async () => {
    const out = path.join(tmp(), 'raw.onnx');
    const r = await runCli('quantize', MODEL, '-o', out, '--calib', path.join(tmp(), 'calib64.bin'), '--calib-shape', 'N,1,8,8', '--batch-size', '16', '--per-tensor', '--activation-type', 'int8', '--threads', '1');
    expect(r.stderr).not.toContain('qtk:');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('4 batches of 16');
    const q = await loadModelFile(out);
    expect(opCounts(q).QuantizeLinear).toBeGreaterThan(0);
    expect(agreement(fp32Logits, await logits(q, test))).toBeGreaterThanOrEqual(0.9);
  });

  it('dynamic (no --calib): DynamicQuantizeLinear with MatMulInteger/ConvInteger, runs in onnxruntime-node', async () => {
    const out = path.join(tmp(), 'dynamic.onnx');
    const r = await runCli('quantize', MODEL, '-o', out);
    expect(r.stderr).not.toContain('qtk:');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('mode: dynamic (default without --calib; give --calib DATA for static)');
    const q = await loadModelFile(out);
    const ops = opCounts(q);
    expect(ops.DynamicQuantizeLinear).toBeGreaterThan(0);
    expect((ops.MatMulInteger ?? 0) + (ops.ConvInteger ?? 0)).toBeGreaterThan(0);
    const y = await logits(q, test);
    expect(y.dims).toEqual([200, 10]);
    expect(agreement(fp32Logits, y)).toBeGreaterThanOrEqual(0.95);
  });

  it('a failing run (calibration shape that does not fit) exits 1 and leaves no output file, report or temp file', async () => {
    const dir = path.join(tmp(), 'fail');
    await fs.mkdir(dir);
    const out = path.join(dir, 'out.onnx');
    const r = await runCli('quantize', MODEL, '-o', out, '--calib', path.join(tmp(), 'calib64.bin'), '--calib-shape', '64,1,8,9', '--report', path.join(dir, 'r.json'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^qtk: .*calib64\.bin: 16384 bytes hold 4096 float32 values; shape \[64,1,8,9\] needs 4608/);
    expect(await fs.readdir(dir)).toEqual([]);
  });
});

describe.skipIf(!hasPipeline)('qtk quantize options and calibration inputs on the digits CNN', () => {
  it('--format qdq --report writes the report JSON with the run, the calibration and core\'s report', async () => {
    const out = path.join(tmp(), 'qdq.onnx');
    const report = path.join(tmp(), 'qdq.json');
    const r = await runCli('quantize', MODEL, '-o', out, '--calib', path.join(tmp(), 'calib64.npy'), '--format', 'qdq', '--report', report);
    expect(r.stderr).not.toContain('qtk:');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('options: mode static, format qdq, method mse, activations uint8 asymmetric, weights int8 symmetric per-channel\n');
    expect(r.stdout).toContain(`wrote ${out} and ${report}`);
    const json = JSON.parse(await fs.readFile(report, 'utf8'));
    expect(json).toMatchObject({ tool: 'qtk quantize', input: MODEL, output: out });
    expect(json.calibration).toMatchObject({ input: 'input', samples: 58, dropped: 0, batches: 2, batchSize: 32, files: [path.join(tmp(), 'calib64.npy')] });
    expect(json.sizes.before).toBe((await fs.stat(MODEL)).size);
    expect(json.sizes.after).toBe((await fs.stat(out)).size);
    expect(json.report.mode).toBe('static');
    expect(json.report.options).toEqual(core.resolveOptions({ mode: 'static', format: 'qdq' }, onnxruntimeBackend.defaults));
    expect(json.report.quantized.filter((q: { opType: string }) => q.opType === 'Conv')).toHaveLength(3);
    for (const q of json.report.quantized) expect(Object.keys(q).sort()).toEqual(['name', 'opType']);
    // The quality report: every quantized Conv has a finite SQNR, and the logits are close to float.
    const convs = json.quality.nodes.filter((n: { opType: string }) => n.opType === 'Conv');
    expect(convs).toHaveLength(3);
    for (const n of convs) expect(n.sqnrDb).toBeGreaterThan(15);
    expect(json.quality.outputs[0].tensor).toBe('logits');
    expect(json.quality.outputs[0].sqnrDb).toBeGreaterThan(20);
    expect(r.stdout).toMatch(/output 'logits': SQNR \d+\.\d\d dB, cosine 0\.9\d+, argmax agrees at \d+\.\d% of positions against the float model/);
    for (const f of json.report.float) expect(typeof f.reason).toBe('string');
    expect(json.report.calibration).toMatchObject({ batches: 2, samples: 58, skippedNonFinite: 0 });
    expect(json.report.calibration.tensors).toBeGreaterThan(0);
    expect(Array.isArray(json.report.zeroRange)).toBe(true);
    expect(json.seconds).toBeGreaterThan(0);
    expect((await fs.readdir(tmp())).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('shows calibration progress in samples with samples per second', async () => {
    const r = await runCli('quantize', MODEL, '-o', path.join(tmp(), 'progress.onnx'), '--calib', path.join(tmp(), 'calib64.npy'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^calibrate: 58 samples in \d+\.\d s, 2 batches$/m);
    expect(r.stderr).toMatch(/^quality check: 1 batches in \d+\.\d s$/m);
  });

  it.skipIf(!hasHistogram)('--method percentile calibrates with the percentile and the model still agrees with FP32', async () => {
    const out = path.join(tmp(), 'pct.onnx');
    const report = path.join(tmp(), 'pct.json');
    const r = await runCli('quantize', MODEL, '-o', out, '--calib', path.join(tmp(), 'calib64.npy'), '--method', 'percentile', '--percentile', '99.99', '--report', report);
    expect(r.stderr).not.toContain('qtk:');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('method percentile 99.99,');
    const json = JSON.parse(await fs.readFile(report, 'utf8'));
    expect(json.report.options).toMatchObject({ method: 'percentile', percentile: 99.99 });
    expect(agreement(fp32Logits, await logits(await loadModelFile(out), test))).toBeGreaterThanOrEqual(0.95);
  });

  it('--config supplies options and flags override them; the report names the config', async () => {
    const cfg = path.join(tmp(), 'cfg.json');
    await fs.writeFile(cfg, JSON.stringify({ version: 1, method: 'moving-average', perChannel: false, opTypes: ['Conv'], symmetricActivations: true }));
    const report = path.join(tmp(), 'cfg-report.json');
    const r = await runCli('quantize', MODEL, '-o', path.join(tmp(), 'cfg.onnx'), '--calib', path.join(tmp(), 'calib64.npy'), '--config', cfg, '--method', 'minmax', '--activation-type', 'int8', '--report', report);
    expect(r.stderr).not.toContain('qtk:');
    expect(r.code).toBe(0);
    const json = JSON.parse(await fs.readFile(report, 'utf8'));
    expect(json.config).toBe(cfg);
    expect(json.report.options).toMatchObject({ method: 'minmax', perChannel: false, opTypes: ['Conv'], symmetricActivations: true, activationType: 'int8' });
    const types = json.report.quantized.map((q: { opType: string }) => q.opType);
    expect(types.filter((t: string) => t === 'Conv')).toHaveLength(3);
    expect(types).not.toContain('Gemm'); // --op-types Conv from the config
    expect(json.report.float.filter((f: { opType: string }) => f.opType === 'Gemm')).toHaveLength(2);
    expect(r.stdout).toContain('options: mode static, format qdq, method minmax, activations int8 symmetric, weights int8 symmetric per-tensor, op types Conv');
  });

  it('a folder of 8x8 grey PNGs calibrates the digits CNN: decoded pixels equal the data, --calib-size draws a seeded subset', async () => {
    const dir = path.join(tmp(), 'pngs');
    await fs.mkdir(dir);
    const px = x.data as Float32Array;
    for (let i = 0; i < 64; i++) {
      const v = (y: number, c: number) => Math.round(px[i * 64 + y * 8 + c]! * 255);
      await fs.writeFile(path.join(dir, `${i}.png`), encodePng(8, 8, (y, c) => [v(y, c), v(y, c), v(y, c)]));
    }
    // pixels come back as the float data, to 8-bit precision (grey of R = G = B is R)
    const files = (await findImageFiles(dir))!;
    expect(files[10]).toBe(path.join(dir, '10.png'));
    const t = await loadImages(files, planImages(pickInput(await loadModelFile(MODEL)), {}));
    expect(t.dims).toEqual([64, 1, 8, 8]);
    const got = t.data as Float32Array;
    for (let i = 0; i < 64 * 64; i++) expect(Math.abs(got[i]! - px[i]!)).toBeLessThanOrEqual(0.5 / 255 + 1e-5);

    const out = path.join(tmp(), 'png.onnx');
    const argv = ['quantize', MODEL, '-o', out, '--calib', dir, '--calib-size', '48', '--seed', '3', '--batch-size', '16'];
    const r = await runCli(...argv);
    expect(r.stderr).not.toContain('qtk:');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`calibration: 43 samples [1,8,8] float32 from 48 images in ${dir} (gray nchw, 8x8, scale 0.00392157, mean 0, std 1) -> input 'input', 3 batches of 16`);
    expect(r.stdout).toContain('calibration: 48 of 64 samples drawn with seed 3');
    expect(agreement(fp32Logits, await logits(await loadModelFile(out), test))).toBeGreaterThanOrEqual(0.95);
    // the same seed draws the same images: byte-identical models
    const again = path.join(tmp(), 'png2.onnx');
    expect((await runCli(...argv.map((a) => (a === out ? again : a)))).code).toBe(0);
    expect(Buffer.compare(await fs.readFile(out), await fs.readFile(again))).toBe(0);
  });

  it('token ids feed a text model as they are; its attention_mask gets ones', async () => {
    // ids [N,4] -> Gather(embedding) [N,4,8] * mask -> MatMul [N,4,3]
    const g = core.createGraph();
    g.inputs.push({ name: 'input_ids', type: { kind: 'tensor', dtype: 'int64', shape: ['N', 4] } });
    g.inputs.push({ name: 'attention_mask', type: { kind: 'tensor', dtype: 'int64', shape: ['N', 4] } });
    g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: ['N', 4, 3] } });
    const ramp = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * k));
    g.initializers.set('emb', core.Tensor.fromFloat32(ramp(80, 0.37), [10, 8]));
    g.initializers.set('w', core.Tensor.fromFloat32(ramp(24, 0.91), [8, 3]));
    g.initializers.set('axes', core.Tensor.int64([2]));
    const node = (name: string, opType: string, inputs: string[], outputs: string[], attributes: core.Attribute[] = []) => ({ name, opType, domain: '', inputs, outputs, attributes });
    g.nodes.push(
      node('gather', 'Gather', ['emb', 'input_ids'], ['e']),
      node('cast', 'Cast', ['attention_mask'], ['mf'], [{ name: 'to', value: { kind: 'int', value: 1 } }]),
      node('unsqueeze', 'Unsqueeze', ['mf', 'axes'], ['m3']),
      node('mul', 'Mul', ['e', 'm3'], ['h']),
      node('matmul', 'MatMul', ['h', 'w'], ['y']),
    );
    const textModel = path.join(tmp(), 'text.onnx');
    await saveModelFile(core.createModel(g), textModel);
    const ids = new core.Tensor('int32', Int32Array.from({ length: 24 }, (_, i) => (i * 7) % 10), [6, 4]);
    await fs.writeFile(path.join(tmp(), 'ids.npy'), encodeNpy(ids));
    const report = path.join(tmp(), 'text.json');
    const r = await runCli('quantize', textModel, '-o', path.join(tmp(), 'text.int8.onnx'), '--calib', path.join(tmp(), 'ids.npy'), '--batch-size', '4', '--report', report);
    expect(r.stderr).not.toContain('qtk:');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("calibration: 6 samples [4] int64 from");
    expect(r.stdout).toContain("-> input 'input_ids', 2 batches of 4");
    expect(r.stdout).toContain("calibration: 'attention_mask' gets ones");
    const json = JSON.parse(await fs.readFile(report, 'utf8'));
    expect(json.calibration).toMatchObject({ input: 'input_ids', samples: 6, batches: 2, constantInputs: { attention_mask: 'ones' } });
    expect(json.report.calibration).toMatchObject({ batches: 2, samples: 6 });
    expect(json.report.quantized.map((q: { opType: string }) => q.opType)).toContain('MatMul');
  });

  it('image flags with .npy data, and a corrupt image in the folder, exit 1 naming the problem', async () => {
    const r = await runCli('quantize', MODEL, '-o', path.join(tmp(), 'x.onnx'), '--calib', path.join(tmp(), 'calib64.npy'), '--resize', '8,8', '--mean', '0.5');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`qtk: --resize, --mean apply to image calibration data (.png, .jpg), but '${path.join(tmp(), 'calib64.npy')}' is not images\n`);
    const dir = path.join(tmp(), 'bad-pngs');
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'a.png'), encodePng(8, 8, () => [1, 1, 1]));
    await fs.writeFile(path.join(dir, 'b.jpg'), Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 16));
    const bad = await runCli('quantize', MODEL, '-o', path.join(tmp(), 'x.onnx'), '--calib', dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(new RegExp(`^qtk: cannot decode JPEG image '${path.join(dir, 'b.jpg').replace(/[.]/g, '\\.')}': `));
    await expect(fs.stat(path.join(tmp(), 'x.onnx'))).rejects.toThrow();
  });
});

describe('pickInput and the summary', () => {
  const graph = (inputs: Array<[string, 'float32' | 'int64']>) => {
    const g = core.createGraph();
    for (const [name, dtype] of inputs) g.inputs.push({ name, type: { kind: 'tensor', dtype, shape: ['N', 4] } });
    g.inputs.push({ name: 'w', type: { kind: 'tensor', dtype: 'float32', shape: [4] } });
    g.initializers.set('w', core.Tensor.fromFloat32(new Float32Array(4), [4]));
    return core.createModel(g);
  };

  it('takes the single float input (initializers listed as inputs do not count)', () => {
    expect(pickInput(graph([['x', 'float32']])).name).toBe('x');
  });

  it('several float inputs need --input; an unknown --input lists the inputs', () => {
    const m = graph([['a', 'float32'], ['b', 'float32']]);
    expect(() => pickInput(m)).toThrow("the model has 2 float inputs ('a' [N,4] float32, 'b' [N,4] float32); name the one the calibration data feeds with --input");
    expect(() => pickInput(m, 'c')).toThrow("--input 'c' is not a model input; inputs: 'a' [N,4] float32, 'b' [N,4] float32");
  });

  it('a model with inputs the calibration data cannot feed is refused with E_CALIB_DATA', () => {
    const m = graph([['x', 'float32'], ['ids', 'int64']]);
    expect(() => companionInputs(m, [pickInput(m)])).toThrow(/inputs besides 'x' .* that no calibration data feeds: 'ids' \[N,4\] int64/);
  });

  it('calibration progress counts samples against the expected total and shows samples per second', () => {
    const writes: string[] = [];
    const io = { stdout: { write: () => true }, stderr: { isTTY: true, write: (s: string) => writes.push(s) } };
    const p = progressReporter(io, 64);
    p.onProgress({ phase: 'calibrate', done: 1, total: 2, samples: 32 });
    expect(writes[0]).toMatch(/^\r\x1b\[2Kcalibrate \[#{12}-{12}\] 32\/64 {2}50% {2}\S+ sample\/s/);
    p.onProgress({ phase: 'convert', done: 0, total: 1 });
    expect(writes.at(-1)).toMatch(/^\r\x1b\[2Kcalibrate: 32\/64 samples in \d+\.\d s, 1 batches\n$/);
  });

  it('the summary counts quantized ops by type and groups float ops by type and reason', () => {
    const lines = formatQuantizeSummary(
      {
        mode: 'static', options: core.resolveOptions({ perChannel: false }, onnxruntimeBackend.defaults), zeroRange: [], seconds: 0.5,
        quantized: [{ name: 'c1', opType: 'Conv' }, { name: 'g', opType: 'Gemm' }, { name: 'c2', opType: 'Conv' }],
        float: [{ name: 's1', opType: 'Softmax', reason: 'not supported' }, { name: 's2', opType: 'Softmax', reason: 'not supported' }, { name: 'c3', opType: 'Conv', reason: 'excluded' }],
      },
      { before: 4000, after: 1000 },
      { total: 1.234, quantize: 0.5, check: 0.25 },
    );
    expect(lines).toEqual([
      'options: mode static, format qdq, method mse, activations uint8 asymmetric, weights int8 symmetric per-tensor',
      'quantized 3 ops: Conv 2, Gemm 1',
      'left float 3 ops:',
      '  Softmax x2: not supported',
      '  Conv x1: excluded',
      'size: 4000 -> 1000 bytes (3.9 KiB -> 1000 B, ratio 0.250)',
      'time: 1.23 s (quantize 0.50 s, quality check 0.25 s)',
    ]);
  });
});
