/**
 * Per-node time of ResNet18 (batch 1, 224x224, one thread) in @qtk/wasm, FP32 against INT8
 * (qtk static QDQ quantization): fastest of interleaved profiled runs per node, and the ratio.
 * Usage: npx tsx --conditions=@qtk/source packages/wasm/bench/layers.ts [runs] [--cache DIR]
 * (--cache keeps the encoded models in DIR between invocations).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { encodeModel, quantizeModel, Tensor as CoreTensor } from '@qtk/core';
import { ortWeb } from '@qtk/onnxruntime/web';
import { InferenceSession, Tensor } from '@qtk/wasm';
import { buildResNet18 } from '@qtk/models';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

const runs = Number(process.argv[2] ?? 7);
const ci = process.argv.indexOf('--cache');
const cache = ci > 0 ? process.argv[ci + 1] : undefined;

function image(seed: number): Float32Array {
  const d = new Float32Array(3 * 224 * 224);
  let s = seed;
  for (let i = 0; i < d.length; i++) { s = (s * 1664525 + 1013904223) >>> 0; d[i] = (s / 4294967296) * 2 - 1; }
  return d;
}

async function models(): Promise<[Uint8Array, Uint8Array]> {
  if (cache && existsSync(`${cache}/r18-int8.onnx`)) {
    return [new Uint8Array(readFileSync(`${cache}/r18-fp32.onnx`)), new Uint8Array(readFileSync(`${cache}/r18-int8.onnx`))];
  }
  const calib = Array.from({ length: 4 }, (_, i) => ({ input: new CoreTensor('float32', image(i + 1), [1, 3, 224, 224]) }));
  const { model } = await quantizeModel(buildResNet18({ seed: 1, batch: 1 }), {}, { backend: onnxruntimeBackend, executor: ortWeb, calibration: calib });
  const f = encodeModel(buildResNet18({ seed: 1, batch: 1 })).model, q = encodeModel(model).model;
  if (cache) { writeFileSync(`${cache}/r18-fp32.onnx`, f); writeFileSync(`${cache}/r18-int8.onnx`, q); }
  return [f, q];
}

const [fBytes, qBytes] = await models();
const qf = await InferenceSession.create(fBytes);
const qq = await InferenceSession.create(qBytes);
const feed = { input: new Tensor('float32', image(99), [1, 3, 224, 224]) };
const best = [new Map<string, number>(), new Map<string, number>()];
const ops = new Map<string, string>();
for (let i = 0; i < runs; i++) {
  for (const [j, s] of [qf, qq].entries()) {
    for (const st of s.profile(feed)) {
      best[j]!.set(st.node, Math.min(best[j]!.get(st.node) ?? Infinity, st.ms));
      if (j === 1) ops.set(st.node, st.op);
    }
  }
}
let tf = 0, tq = 0;
for (const [node, f] of best[0]!) {
  const q = best[1]!.get(node);
  tf += f;
  if (q !== undefined) console.log(`${node.padEnd(36)} FP32 ${f.toFixed(2).padStart(6)}  INT8 ${q.toFixed(2).padStart(6)}  ${(f / q).toFixed(2)}x`);
}
for (const [node, q] of best[1]!) { tq += q; if (!best[0]!.has(node)) console.log(`${node.padEnd(36)} INT8 only (${ops.get(node)}) ${q.toFixed(2)}`); }
console.log(`sum of fastest steps: FP32 ${tf.toFixed(1)} ms, INT8 ${tq.toFixed(1)} ms, ${(tf / tq).toFixed(2)}x`);
