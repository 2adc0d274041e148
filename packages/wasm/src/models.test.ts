import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { encodeModel, quantizeModel, Tensor as CoreTensor, type Model } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { DIGITS_MODEL, digitsRows, batchesOf } from './test-support/digits.js';
import { buildResNet18 } from '@qtk/models';
import { InferenceSession, fromCoreTensor } from './index.js';
import { Rand } from './test-support/reference.js';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

async function ortRun(m: Model, feeds: Record<string, CoreTensor>): Promise<Record<string, CoreTensor>> {
  const s = await ortNode.createSession(m);
  try {
    return await s.run(feeds);
  } finally {
    await s.release();
  }
}

/** max |a-b| / max |b|. */
function relToMax(a: Float32Array, b: Float32Array): number {
  let d = 0, m = 0;
  for (let i = 0; i < b.length; i++) { d = Math.max(d, Math.abs(a[i]! - b[i]!)); m = Math.max(m, Math.abs(b[i]!)); }
  return d / m;
}

function argmaxRows(d: Float32Array, k: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < d.length / k; r++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (d[r * k + j]! > d[r * k + best]!) best = j;
    out.push(best);
  }
  return out;
}

/**
 * Largest change of the float output of the model's last Gemm when each of its quantized
 * inputs moves by one step: s_in * max_n sum_k |W[n,k]| (W dequantized).
 */
function oneStepBound(q: Model): number {
  const g = q.graph;
  const out = g.outputs[0]!.name;
  const gemm = g.nodes.find((n) => n.outputs[0] === out)!;
  const prod = (v: string) => g.nodes.find((n) => n.outputs.includes(v))!;
  const xdq = prod(gemm.inputs[0]!), wdq = prod(gemm.inputs[1]!);
  const sIn = g.initializers.get(xdq.inputs[1]!)!.get(0);
  const w = g.initializers.get(wdq.inputs[0]!)!, ws = g.initializers.get(wdq.inputs[1]!)!;
  const [N, K] = w.dims as [number, number];
  let worst = 0;
  for (let n = 0; n < N; n++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.abs(w.get(n * K + k) * ws.get(ws.size === 1 ? 0 : n));
    worst = Math.max(worst, s);
  }
  return sIn * worst;
}

describe('digits CNN against onnxruntime-node', async () => {
  const { x } = digitsRows(1297, 1797);
  const fp32 = await loadModelFile(DIGITS_MODEL);
  const { model: qdq } = await quantizeModel(await loadModelFile(DIGITS_MODEL), {}, { backend: onnxruntimeBackend, executor: ortNode, calibration: batchesOf(digitsRows(0, 256).x, 32) });

  it('FP32 logits are within 1e-4 relative (500 images, one batch)', async () => {
    const s = await InferenceSession.create(readFileSync(DIGITS_MODEL));
    const ours = (await s.run({ input: fromCoreTensor(x) })).logits!.data as Float32Array;
    const ref = (await ortRun(fp32, { input: x })).logits!.data as Float32Array;
    expect(relToMax(ours, ref)).toBeLessThan(1e-4);
  });

  it('QDQ model runs as integer kernels: every Conv and Gemm fused', async () => {
    const s = await InferenceSession.create(encodeModel(qdq).model);
    expect(s.info.ops['qtk.wasm:QConv']).toBe(3);
    expect(s.info.ops['qtk.wasm:QMatMul']).toBe(2);
    expect(s.info.ops.Conv ?? 0).toBe(0);
    expect(s.info.ops.Gemm ?? 0).toBe(0);
  });

  it('QDQ hidden activations are within one quantization step and logits within the one-step bound, same argmax', async () => {
    // expose the last quantized hidden activation as an extra output of both runs
    const lastQ = qdq.graph.nodes.filter((n) => n.opType === 'QuantizeLinear').at(-1)!;
    const probe = structuredClone(qdq);
    probe.graph.outputs.push({ name: lastQ.outputs[0]! });
    const s = await InferenceSession.create(encodeModel(probe).model);
    const ours = await s.run({ input: fromCoreTensor(x) });
    const ref = await ortRun(probe, { input: x });
    const hq = ours[lastQ.outputs[0]!]!.data as Uint8Array, hr = ref[lastQ.outputs[0]!]!.data as Uint8Array;
    let maxStep = 0;
    for (let i = 0; i < hr.length; i++) maxStep = Math.max(maxStep, Math.abs(hq[i]! - hr[i]!));
    expect(maxStep).toBeLessThanOrEqual(1);
    const a = ours.logits!.data as Float32Array, b = ref.logits!.data as Float32Array;
    let d = 0;
    for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
    expect(d).toBeLessThanOrEqual(oneStepBound(qdq));
    expect(argmaxRows(a, 10)).toEqual(argmaxRows(b, 10));
  });

  it('runs batches of other sizes with the same session (plans per input shape)', async () => {
    const s = await InferenceSession.create(readFileSync(DIGITS_MODEL));
    for (const n of [1, 7, 32]) {
      const xs = digitsRows(0, n).x;
      const ours = (await s.run({ input: fromCoreTensor(xs) })).logits!.data as Float32Array;
      const ref = (await ortRun(fp32, { input: xs })).logits!.data as Float32Array;
      expect(relToMax(ours, ref)).toBeLessThan(1e-4);
    }
  });
});

describe('ResNet18 (tools/models) against onnxruntime-node', async () => {
  const size = 112;
  const image = (seed: number) => new CoreTensor('float32', new Rand(seed).f32(3 * size * size), [1, 3, size, size]);
  const fp32 = buildResNet18({ seed: 1, batch: 1, imageSize: size });
  const { model: qdq } = await quantizeModel(buildResNet18({ seed: 1, batch: 1, imageSize: size }), {}, {
    backend: onnxruntimeBackend,
    executor: ortNode, calibration: [1, 2, 3].map((i) => ({ input: image(i) })),
  });
  const x = image(99);

  it('FP32 output is within 1e-4 relative', async () => {
    const s = await InferenceSession.create(encodeModel(fp32).model);
    const ours = (await s.run({ input: fromCoreTensor(x) })).output!.data as Float32Array;
    const ref = (await ortRun(fp32, { input: x })).output!.data as Float32Array;
    expect(relToMax(ours, ref)).toBeLessThan(1e-4);
  });

  it('QDQ model runs fused (20 QConv, residual QAdd) within the one-step bound and with the same argmax', async () => {
    const s = await InferenceSession.create(encodeModel(qdq).model);
    expect(s.info.ops['qtk.wasm:QConv']).toBe(20);
    expect(s.info.ops['qtk.wasm:QAdd']).toBe(8);
    expect(s.info.ops.Conv ?? 0).toBe(0);
    const ours = (await s.run({ input: fromCoreTensor(x) })).output!.data as Float32Array;
    const ref = (await ortRun(qdq, { input: x })).output!.data as Float32Array;
    let d = 0;
    for (let i = 0; i < ref.length; i++) d = Math.max(d, Math.abs(ours[i]! - ref[i]!));
    expect(d).toBeLessThanOrEqual(oneStepBound(qdq));
    expect(argmaxRows(ours, 1000)).toEqual(argmaxRows(ref, 1000));
  });
});
