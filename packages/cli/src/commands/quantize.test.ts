import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as core from '@qtk/core';
import { encodeNpy, parseRawFloat32, sliceRows, type Model, type Tensor } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { run } from '../main.js';
import { accuracy } from './demo.js';
import { formatQuantizeSummary, pickInput } from './quantize.js';

const DIGITS = fileURLToPath(new URL('../../../../fixtures/digits/', import.meta.url));
const MODEL = path.join(DIGITS, 'digits_cnn.onnx');
// These run once core exports quantizeModel (the pipeline is written separately).
const hasPipeline = typeof (core as Record<string, unknown>).quantizeModel === 'function';

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: {} });
  return { code, stdout, stderr };
}

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

let tmp: string;
let x: Tensor;
let test: Tensor;
let fp32Logits: Tensor;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'qtk-cli-quantize-'));
  x = parseRawFloat32(await fs.readFile(path.join(DIGITS, 'digits_x_f32_n1797_1x8x8.bin')), [1797, 1, 8, 8]);
  await fs.writeFile(path.join(tmp, 'calib64.npy'), encodeNpy(sliceRows(x, 0, 64)));
  await fs.writeFile(path.join(tmp, 'calib64.bin'), core.bytesOf(sliceRows(x, 0, 64).data));
  test = sliceRows(x, 1297, 1497);
  fp32Logits = await logits(await loadModelFile(MODEL), test);
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe.skipIf(!hasPipeline)('qtk quantize end to end on the digits CNN', () => {
  it('static with a 64-row .npy: writes a Q/DQ model that loads, runs in onnxruntime-node and agrees with FP32', async () => {
    const out = path.join(tmp, 'static.onnx');
    const report = path.join(tmp, 'static.json');
    const r = await cli('quantize', MODEL, '-o', out, '--calib', path.join(tmp, 'calib64.npy'), '--report', report);
    expect(r.stderr).not.toContain('qtk:');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('mode: static (default with --calib)');
    expect(r.stdout).toContain("calibration: 64 samples [1,8,8] float32 from");
    expect(r.stdout).toContain("-> input 'input', 2 batches of 32");
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
    expect(json.calibration).toMatchObject({ input: 'input', samples: 64, batches: 2, batchSize: 32 });
    expect(json.sizes.after).toBe((await fs.stat(out)).size);
    expect(json.sizes.ratio).toBeLessThan(0.5);
  });

  it('static from a raw float32 file with --calib-shape, batch 16, per-tensor, int8 activations', async () => {
    const out = path.join(tmp, 'raw.onnx');
    const r = await cli('quantize', MODEL, '-o', out, '--calib', path.join(tmp, 'calib64.bin'), '--calib-shape', 'N,1,8,8', '--batch-size', '16', '--per-tensor', '--activation-type', 'int8', '--threads', '1');
    expect(r.stderr).not.toContain('qtk:');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('4 batches of 16');
    const q = await loadModelFile(out);
    expect(opCounts(q).QuantizeLinear).toBeGreaterThan(0);
    expect(agreement(fp32Logits, await logits(q, test))).toBeGreaterThanOrEqual(0.9);
  });

  it('dynamic (no --calib): DynamicQuantizeLinear with MatMulInteger/ConvInteger, runs in onnxruntime-node', async () => {
    const out = path.join(tmp, 'dynamic.onnx');
    const r = await cli('quantize', MODEL, '-o', out);
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
    const dir = path.join(tmp, 'fail');
    await fs.mkdir(dir);
    const out = path.join(dir, 'out.onnx');
    const r = await cli('quantize', MODEL, '-o', out, '--calib', path.join(tmp, 'calib64.bin'), '--calib-shape', '64,1,8,9', '--report', path.join(dir, 'r.json'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^qtk: .*calib64\.bin: 16384 bytes hold 4096 float32 values; shape \[64,1,8,9\] needs 4608/);
    expect(await fs.readdir(dir)).toEqual([]);
  });
});

describe('pickInput and the summary', () => {
  const graph = (inputs: Array<[string, 'float32' | 'int64']>) => {
    const g = core.createGraph();
    for (const [name, dtype] of inputs) g.inputs.push({ name, type: { kind: 'tensor', dtype, shape: ['N', 4] } });
    g.inputs.push({ name: 'w', type: { kind: 'tensor', dtype: 'float32', shape: [4] } });
    g.initializers.set('w', core.Tensor.fromFloat32([4], new Float32Array(4)));
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
    expect(() => pickInput(graph([['x', 'float32'], ['ids', 'int64']]))).toThrow(/other inputs besides 'x' .*: 'ids' \[N,4\] int64/);
  });

  it('the summary counts quantized ops by type and groups float ops by type and reason', () => {
    const lines = formatQuantizeSummary(
      {
        mode: 'static', options: {} as never, zeroRange: [], seconds: 0.5,
        quantized: [{ name: 'c1', opType: 'Conv' }, { name: 'g', opType: 'Gemm' }, { name: 'c2', opType: 'Conv' }],
        float: [{ name: 's1', opType: 'Softmax', reason: 'not supported' }, { name: 's2', opType: 'Softmax', reason: 'not supported' }, { name: 'c3', opType: 'Conv', reason: 'excluded' }],
      },
      { before: 4000, after: 1000 },
      1.234,
    );
    expect(lines).toEqual([
      'quantized 3 ops: Conv 2, Gemm 1',
      'left float 3 ops:',
      '  Softmax x2: not supported',
      '  Conv x1: excluded',
      'size: 4000 -> 1000 bytes (3.9 KiB -> 1000 B, ratio 0.250)',
      'time: 1.23 s (quantize 0.50 s)',
    ]);
  });
});
