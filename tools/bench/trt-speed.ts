/**
 * Speed of the TensorRT backend's INT8 ResNet18 on onnxruntime-node (CPU, 2 intra-op threads,
 * batch 1) against FP32, measured in one run: rounds interleave the variants (A B C D E A B C
 * D E ...). For the investigation of onnxruntime's QDQ fusions: TensorRT's placement plus Q/DQ on
 * every Conv and GEMM output (what onnxruntime's integer Conv needs; not TensorRT's rules), the
 * onnxruntime backend's INT8 (uint8 asymmetric activations), and the same with symmetric int8
 * activations, which shows what symmetric activations alone do. Prints, per variant, the op
 * counts of the graph onnxruntime runs after its own optimizations (level 'all'), median and
 * p10 latency, and FP32 time / variant time per round (median). Asserts nothing.
 *
 * Usage: npx tsx --conditions=@qtk/source tools/bench/trt-speed.ts [--rounds=30] [--size=224] [--spin=0|1]
 * --spin=0 (default) lets the two threads sleep between ops, which keeps timings steadier on
 * a shared machine.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { interleave, quantile } from '@qtk/bench';
import { decodeModel, encodeModel, quantizeModel, Tensor, type Model } from '@qtk/core';
import { ortNode } from '@qtk/onnxruntime/node';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';
import { buildResNet18 } from '@qtk/models';
import { tensorrtBackend, tensorrtPolicy } from '@qtk/tensorrt';
import type { BackendPlugin } from '@qtk/core';

/** TensorRT's placement plus Q/DQ on every Conv and GEMM output (before its activation): what onnxruntime's QDQ Conv fusion needs. */
const withLayerOutputs: BackendPlugin = {
  ...tensorrtBackend,
  name: 'tensorrt-with-layer-outputs',
  policy: {
    opTypes: tensorrtPolicy.opTypes,
    place(node, ctx) {
      const reason = tensorrtPolicy.place(node, ctx);
      if (reason === undefined && ['Conv', 'ConvTranspose', 'Gemm', 'MatMul'].includes(node.opType)) ctx.markActivation(node.outputs[0]!);
      return reason;
    },
  },
};

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const rounds = Number(flag('rounds', '30'));
const size = Number(flag('size', '224'));
const spin = flag('spin', '0');

/** Seeded values in [-1, 1) shaped [1, 3, size, size]. */
function image(seed: number): Tensor {
  const d = new Float32Array(3 * size * size);
  let s = seed >>> 0;
  for (let i = 0; i < d.length; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; d[i] = (s / 2 ** 32) * 2 - 1; }
  return new Tensor('float32', d, [1, 3, size, size]);
}

const sessionOptions = (extra: ort.InferenceSession.SessionOptions = {}): ort.InferenceSession.SessionOptions => ({
  intraOpNumThreads: 2, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential',
  extra: { session: { intra_op: { allow_spinning: spin } } }, ...extra,
});
const tmp = mkdtempSync(join(tmpdir(), 'trt-speed-'));

/** Op counts of the graph onnxruntime runs for `bytes`. */
async function optimizedOps(bytes: Uint8Array): Promise<string> {
  const path = join(tmp, 'optimized.onnx');
  const s = await ort.InferenceSession.create(bytes, sessionOptions({ optimizedModelFilePath: path, logSeverityLevel: 3 }));
  await s.release();
  const counts = new Map<string, number>();
  for (const n of decodeModel(readFileSync(path)).graph.nodes) counts.set(n.opType, (counts.get(n.opType) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([op, n]) => `${n} ${op}`).join(', ');
}

const build = (): Model => buildResNet18({ seed: 1, batch: 1, imageSize: size });
const calibration = Array.from({ length: 4 }, (_, i) => ({ input: image(1000 + i) }));
const models: Array<[string, Model]> = [
  ['fp32', build()],
  ['int8 tensorrt', (await quantizeModel(build(), {}, { backend: tensorrtBackend, executor: ortNode, calibration })).model],
  ['int8 tensorrt + Q/DQ on Conv/GEMM outputs', (await quantizeModel(build(), {}, { backend: withLayerOutputs, executor: ortNode, calibration })).model],
  ['int8 onnxruntime', (await quantizeModel(build(), {}, { backend: onnxruntimeBackend, executor: ortNode, calibration })).model],
  ['int8 onnxruntime, symmetric activations', (await quantizeModel(build(), { activationType: 'int8', symmetricActivations: true }, { backend: onnxruntimeBackend, executor: ortNode, calibration })).model],
];

console.log(`ResNet18 ${size}x${size}, batch 1, onnxruntime-node ${ort.env.versions.common}, 2 intra-op threads, spinning ${spin}, ${rounds} rounds, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const feeds = { input: new ort.Tensor('float32', image(7).data as Float32Array, [1, 3, size, size]) };
const sessions: ort.InferenceSession[] = [];
for (const [name, m] of models) {
  const bytes = encodeModel(m).model;
  console.log(`${name}: onnxruntime runs ${await optimizedOps(bytes)}`);
  const s = await ort.InferenceSession.create(bytes, sessionOptions());
  for (let i = 0; i < 3; i++) await s.run(feeds);
  sessions.push(s);
}
const times: number[][] = models.map(() => []);
for (const { variant } of interleave(models.length, rounds)) {
  const t0 = performance.now();
  await sessions[variant]!.run(feeds);
  times[variant]!.push(performance.now() - t0);
}
console.log('| model | median ms | p10 ms | FP32 / model (median of rounds) |');
console.log('| --- | ---: | ---: | ---: |');
models.forEach(([name], i) => {
  const ratio = quantile(times[0]!.map((t, r) => t / times[i]![r]!), 0.5);
  console.log(`| ${name} | ${quantile(times[i]!, 0.5).toFixed(2)} | ${quantile(times[i]!, 0.1).toFixed(2)} | ${ratio.toFixed(2)}x |`);
});
console.log(`load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
for (const s of sessions) await s.release();
rmSync(tmp, { recursive: true, force: true });
