/**
 * Speed and error of qtk static INT8 against FP32 in onnxruntime-node (CPU, 2 threads,
 * batch 1) on the ResNet18 and MobileNetV2 builders. Prints, per model and variant:
 * - the op counts of the graph onnxruntime actually runs (its optimized graph, level 'all'),
 *   with the ops still in float or left as separate QuantizeLinear/DequantizeLinear;
 * - wall-clock latency over interleaved rounds (the order rotates each round): median, p10,
 *   and the median over rounds of FP32 time / INT8 time measured side by side;
 * - kernel time from onnxruntime's profiler: per node the 10th percentile over rounds, summed
 *   (a compute-cost figure that a loaded machine disturbs far less than wall-clock time);
 * - output SQNR against FP32 on a probe image.
 * Prints only; asserts nothing.
 *
 * Usage: npx tsx --conditions=@qtk/source tools/bench/ort-speed.ts [resnet18|mobilenetv2|all]
 *   [--rounds=40] [--profile-rounds=20] [--spin=0|1] [--int8-allowed] [--variants=default,s8s8,...]
 * --spin=0 (the default here) sets session.intra_op.allow_spinning=0: the two threads sleep
 * instead of spinning between ops, which keeps timings steady on a machine shared with other
 * work (spinning threads that lose the CPU stall every op); --spin=1 is onnxruntime's own
 * default, a little faster on an idle machine. --int8-allowed sets session.qdqisint8allowed=1,
 * which lets onnxruntime fuse QDQ with int8 activations on x86 (into kernels that are slower
 * there: the s8s8 variant is for comparison).
 * Variants: default (qtk defaults: uint8 activations, int8 symmetric per-channel weights),
 * s8s8 (int8 activations), pertensor (per-tensor weights).
 */
import { mkdtempSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { quantizeModel, Tensor, encodeModel, decodeModel, type Model, type QuantizeOptions } from '@qtk/core';
import { ortNode } from '@qtk/onnxruntime/node';
import { buildResNet18, buildMobileNetV2 } from '@qtk/models';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? (args.includes(`--${name}`) ? '1' : fallback);
const which = args.find((a) => !a.startsWith('--')) ?? 'all';
const rounds = Number(flag('rounds', '40'));
const profileRounds = Number(flag('profile-rounds', '20'));
const spin = flag('spin', '0');
const int8Allowed = flag('int8-allowed', '0') === '1';
const VARIANTS: Record<string, QuantizeOptions> = { default: {}, s8s8: { activationType: 'int8' }, pertensor: { perChannel: false } };
const variants = flag('variants', 'default').split(',');
for (const v of variants) if (!VARIANTS[v]) throw new Error(`unknown variant '${v}' (${Object.keys(VARIANTS).join(', ')})`);

const BUILDERS: Record<string, () => Model> = {
  resnet18: () => buildResNet18({ seed: 1, batch: 1 }),
  mobilenetv2: () => buildMobileNetV2({ seed: 1, batch: 1 }),
};

/** Seeded values in [-1, 1) shaped [1, 3, 224, 224]. */
function image(seed: number): Tensor {
  const d = new Float32Array(3 * 224 * 224);
  let s = seed >>> 0;
  for (let i = 0; i < d.length; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; d[i] = (s / 2 ** 32) * 2 - 1; }
  return new Tensor('float32', d, [1, 3, 224, 224]);
}

/** The q-quantile (0..1) of `v`. */
const quantile = (v: readonly number[], q: number) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) * q)]!;

const sessionOptions = (extra: ort.InferenceSession.SessionOptions = {}): ort.InferenceSession.SessionOptions => ({
  intraOpNumThreads: 2, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential',
  extra: { session: { intra_op: { allow_spinning: spin }, ...(int8Allowed && { qdqisint8allowed: '1' }) } },
  ...extra,
});

const tmp = mkdtempSync(join(tmpdir(), 'ort-speed-'));

/** Op counts of the graph onnxruntime runs for `bytes` after its own optimizations. */
async function optimizedOps(bytes: Uint8Array): Promise<Map<string, number>> {
  const path = join(tmp, 'optimized.onnx');
  const s = await ort.InferenceSession.create(bytes, sessionOptions({ optimizedModelFilePath: path, logSeverityLevel: 3 }));
  await s.release();
  const counts = new Map<string, number>();
  for (const n of decodeModel(readFileSync(path)).graph.nodes) counts.set(n.opType, (counts.get(n.opType) ?? 0) + 1);
  return counts;
}

/** Ops of an INT8 graph that still run in float or as separate Q/DQ (layout and integer ops left out). */
const FLOAT_OPS = ['QuantizeLinear', 'DequantizeLinear', 'Conv', 'FusedConv', 'NchwcConv', 'Gemm', 'FusedGemm', 'MatMul', 'Add', 'Relu', 'Clip', 'GlobalAveragePool', 'AveragePool'];

/** Wall-clock times of each session over interleaved rounds (the starting session rotates). */
async function timeInterleaved(sessions: ort.InferenceSession[], feeds: Record<string, ort.Tensor>, n: number): Promise<number[][]> {
  const times = sessions.map(() => [] as number[]);
  for (let i = 0; i < 3; i++) for (const s of sessions) await s.run(feeds);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < sessions.length; k++) {
      const j = (r + k) % sessions.length;
      const t = performance.now();
      await sessions[j]!.run(feeds);
      times[j]!.push(performance.now() - t);
    }
  }
  return times;
}

/** Per session: the sum over nodes of each node's 10th-percentile kernel time (ms), from onnxruntime's profiler. */
async function kernelTimes(models: Uint8Array[], feeds: Record<string, ort.Tensor>, n: number): Promise<number[]> {
  const sessions: ort.InferenceSession[] = [];
  for (const [j, m] of models.entries()) sessions.push(await ort.InferenceSession.create(m, sessionOptions({ enableProfiling: true, profileFilePrefix: join(tmp, `profile${j}`) })));
  for (let r = 0; r < n; r++) for (const s of sessions) await s.run(feeds);
  const out: number[] = [];
  for (const [j, s] of sessions.entries()) {
    s.endProfiling();
    await s.release();
    const file = readdirSync(tmp).filter((f) => f.startsWith(`profile${j}`)).sort().pop()!;
    const events = JSON.parse(readFileSync(join(tmp, file), 'utf8')) as Array<{ cat: string; name: string; dur: number }>;
    rmSync(join(tmp, file));
    const perNode = new Map<string, number[]>();
    for (const e of events) {
      if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
      const d = perNode.get(e.name) ?? [];
      d.push(e.dur);
      perNode.set(e.name, d);
    }
    let sum = 0;
    for (const d of perNode.values()) sum += quantile(d, 0.1);
    out.push(sum / 1000);
  }
  return out;
}

/** Output SQNR of `test` against `ref`, in dB. */
function sqnrDb(ref: Float32Array, test: Float32Array): number {
  let sig = 0;
  let err = 0;
  for (let i = 0; i < ref.length; i++) { sig += ref[i]! ** 2; err += (ref[i]! - test[i]!) ** 2; }
  return 10 * Math.log10(sig / Math.max(err, 1e-30));
}

console.log(`onnxruntime-node ${ort.env.versions.common}, 2 threads, batch 1, allow_spinning=${spin}${int8Allowed ? ', qdqisint8allowed=1' : ''}, ${rounds} rounds (+${profileRounds} profiled), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const calibration = Array.from({ length: 8 }, (_, i) => ({ input: image(i + 1) }));
const probe = new ort.Tensor('float32', image(99).data as Float32Array, [1, 3, 224, 224]);
for (const name of which === 'all' ? Object.keys(BUILDERS) : [which]) {
  const build = BUILDERS[name];
  if (!build) throw new Error(`unknown model '${name}' (${Object.keys(BUILDERS).join(', ')}, all)`);
  const fp32 = build();
  const bytes = [encodeModel(fp32).model];
  for (const v of variants) {
    const t0 = performance.now();
    const { model: q, report } = await quantizeModel(fp32, VARIANTS[v], { backend: onnxruntimeBackend, executor: ortNode, calibration });
    console.log(`${name} ${v}: quantized in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${report.float.length} float nodes${report.float.length ? ` (${report.float.slice(0, 4).map((f) => f.opType).join(', ')}…)` : ''}`);
    bytes.push(encodeModel(q).model);
  }
  const labels = ['fp32', ...variants];
  for (const [j, b] of bytes.entries()) {
    if (j === 0) continue;
    const ops = await optimizedOps(b);
    // the float input needs its one QuantizeLinear
    const left = new Map([...ops].map(([k, c]) => [k, k === 'QuantizeLinear' ? c - 1 : c] as const));
    const leftover = FLOAT_OPS.filter((o) => (left.get(o) ?? 0) > 0).map((o) => `${o}=${left.get(o)}`);
    console.log(`  ${labels[j]} optimized graph: ${[...ops].map(([k, c]) => `${k}=${c}`).join(' ')}`);
    console.log(`  ${labels[j]} float or separate Q/DQ ops beyond the input's QuantizeLinear: ${leftover.length ? leftover.join(' ') : 'none'}`);
  }
  const sessions: ort.InferenceSession[] = [];
  for (const b of bytes) sessions.push(await ort.InferenceSession.create(b, sessionOptions()));
  const outs: Float32Array[] = [];
  for (const s of sessions) outs.push((await s.run({ input: probe })).output!.data as Float32Array);
  const wall = await timeInterleaved(sessions, { input: probe }, rounds);
  for (const s of sessions) await s.release();
  const kernel = profileRounds > 0 ? await kernelTimes(bytes, { input: probe }, profileRounds) : [];
  for (const [j, label] of labels.entries()) {
    const ratios = wall[0]!.map((f, r) => f / wall[j]![r]!);
    const parts = [
      `wall median ${quantile(wall[j]!, 0.5).toFixed(2)} ms`,
      `p10 ${quantile(wall[j]!, 0.1).toFixed(2)} ms`,
      j > 0 ? `paired speedup ${quantile(ratios, 0.5).toFixed(2)}x` : '',
      kernel.length ? `kernel ${kernel[j]!.toFixed(2)} ms` : '',
      j > 0 && kernel.length ? `kernel speedup ${(kernel[0]! / kernel[j]!).toFixed(2)}x` : '',
      j > 0 ? `SQNR ${sqnrDb(outs[0]!, outs[j]!).toFixed(2)} dB` : '',
    ];
    console.log(`  ${name} ${label.padEnd(9)} ${parts.filter(Boolean).join(', ')}`);
  }
}
console.log(`load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
rmSync(tmp, { recursive: true, force: true });
