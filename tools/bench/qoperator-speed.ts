/**
 * Prints onnxruntime-node latency of qtk's static INT8 ResNet18 in QDQ form against the
 * same model converted to QOperator form (2 threads, batch 1, interleaved runs, medians),
 * session creation times, and the largest output difference between the two. Prints
 * only; asserts nothing. onnxruntime fuses the QDQ form into the same QLinear kernels, so
 * run latency should match; differences come from noise.
 * Usage: npx tsx --conditions=@qtk/source tools/bench/qoperator-speed.ts [imageSize=224] [runs=30]
 */
import * as ort from 'onnxruntime-node';
import { quantizeModel, cloneModel, encodeModel, Tensor } from '@qtk/core';
import { ortNode } from '@qtk/onnxruntime/node';
import { convertQdqToQOperator } from '../../packages/onnxruntime/src/writers/qoperator/index.ts';
import { buildResNet18 } from '@qtk/models';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

const size = Number(process.argv[2] ?? 224);
const runs = Number(process.argv[3] ?? 30);

/** Seeded values in [-1, 1) shaped [1, 3, size, size]. */
function image(seed: number): Tensor {
  const d = new Float32Array(3 * size * size);
  let s = seed >>> 0;
  for (let i = 0; i < d.length; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; d[i] = (s / 2 ** 32) * 2 - 1; }
  return new Tensor('float32', d, [1, 3, size, size]);
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;

const fp32 = buildResNet18({ seed: 1, imageSize: size, batch: 1 });
const calibration = Array.from({ length: 8 }, (_, i) => ({ input: image(i + 1) }));
const { model: qdq } = await quantizeModel(fp32, {}, { backend: onnxruntimeBackend, executor: ortNode, calibration });
const qop = cloneModel(qdq);
const { converted, kept } = convertQdqToQOperator(qop);
console.log(`converted ${converted.length} nodes, kept ${kept.length} in QDQ`, kept.slice(0, 5));

const options = { intraOpNumThreads: 2, interOpNumThreads: 1 };
/** A session and the milliseconds its creation (graph optimization included) took. */
async function timedSession(bytes: Uint8Array): Promise<[ort.InferenceSession, number]> {
  const t = performance.now();
  const s = await ort.InferenceSession.create(bytes, options);
  return [s, performance.now() - t];
}
const bytes = { qdq: encodeModel(qdq).model, qoperator: encodeModel(qop).model };
// Creation times: the faster of two, alternating, so onnxruntime's first-session setup counts for neither.
const load = { qdq: Infinity, qoperator: Infinity };
for (let i = 0; i < 2; i++) {
  for (const k of ['qdq', 'qoperator'] as const) {
    const [s, ms] = await timedSession(bytes[k]);
    load[k] = Math.min(load[k], ms);
    await s.release();
  }
}
console.log(`session creation: QDQ ${load.qdq.toFixed(0)} ms, QOperator ${load.qoperator.toFixed(0)} ms`);
const [sq] = await timedSession(bytes.qdq);
const [so] = await timedSession(bytes.qoperator);
const sessions = { qdq: sq, qoperator: so };
const x = new ort.Tensor('float32', image(99).data as Float32Array, [1, 3, size, size]);
const times: Record<keyof typeof sessions, number[]> = { qdq: [], qoperator: [] };
for (let i = 0; i < 5; i++) for (const s of Object.values(sessions)) await s.run({ input: x });
for (let i = 0; i < runs; i++) {
  for (const [k, s] of Object.entries(sessions) as Array<[keyof typeof sessions, ort.InferenceSession]>) {
    const t = performance.now();
    await s.run({ input: x });
    times[k].push(performance.now() - t);
  }
}
const a = (await sessions.qdq.run({ input: x })).output!.data as Float32Array;
const b = (await sessions.qoperator.run({ input: x })).output!.data as Float32Array;
let diff = 0;
for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
const tq = median(times.qdq);
const to = median(times.qoperator);
console.log(`resnet18 ${size}x${size}: QDQ ${tq.toFixed(2)} ms, QOperator ${to.toFixed(2)} ms (QDQ/QOperator ${(tq / to).toFixed(2)}), max |output diff| ${diff}`);
