/**
 * ResNet18 batch 1 (seeded builder weights, 224x224), FP32 and INT8 (qtk static QDQ,
 * calibrated through onnxruntime-web), on one thread against a pool of N threads
 * (`intraOpNumThreads`), interleaved run by run so load changes on a shared machine hit both
 * alike; prints median and fastest milliseconds, the speedup of each, and checks the outputs
 * are identical. On Linux it also reports the medians over the runs during which other
 * processes used less than a tenth of a core (from /proc/stat less this process's CPU time),
 * the only fair ones for N threads on a machine shared with other work.
 * Usage: npx tsx --conditions=@qtk/source packages/wasm/bench/threads.ts [runs] [--threads N]
 */
import { readFileSync } from 'node:fs';
import { encodeModel, quantizeModel, Tensor as CoreTensor } from '@qtk/core';
import { ortWeb } from '@qtk/onnxruntime/web';
import { InferenceSession, Tensor } from '@qtk/wasm';
import { buildResNet18 } from '@qtk/models';
import { startThreads } from '../src/threads/setup.ts';
import { parallel, splitPanels, unitCount } from '../src/threads/parallel.ts';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

const args = process.argv.slice(2);
const ti = args.indexOf('--threads');
const threads = ti >= 0 ? Number(args[ti + 1]) : 2;
const runs = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--threads') ?? 15);

function image(seed: number): Float32Array {
  const d = new Float32Array(3 * 224 * 224);
  let s = seed;
  for (let i = 0; i < d.length; i++) { s = (s * 1664525 + 1013904223) >>> 0; d[i] = (s / 4294967296) * 2 - 1; }
  return d;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;

/** Busy milliseconds of all CPUs so far (Linux), or undefined elsewhere. */
function busyMs(): number | undefined {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy = all but idle and iowait, in 10 ms ticks
    return (f.slice(0, 8).reduce((a, b) => a + b, 0) - f[3]! - f[4]!) * 10;
  } catch {
    return undefined;
  }
}

/** CPU milliseconds of this process (all its threads) so far. */
function ownMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Median of `v`, NaN when empty. */
const medianOr = (v: number[]) => (v.length ? median(v) : Number.NaN);

/**
 * The GEMMs alone on a ResNet18 layer2 3x3 shape (M 128, K 1152, N 784): FP32 sgemm and INT8
 * qgemm on 1 and on N threads, 5 calls per sample, interleaved for up to 30 s; medians of all
 * samples and of the quiet ones (short samples find the gaps in other work more often).
 */
async function kernelSection(): Promise<void> {
  const { kernels: k, heap, pool } = await startThreads(threads);
  const M = 128, K = 1152, N = 784, KP = K / 2, NP = Math.ceil(N / 8) * 8;
  const a = heap.alloc(M * K * 4), b = heap.alloc(NP * K * 4), c = heap.alloc(M * N * 4);
  const units = unitCount(k, M * K * N, NP / 8);
  const split = (f: (kk: typeof k, c0: number, c1: number) => void) => () => parallel(k, units, (kk, u) => {
    const [c0, c1] = splitPanels(N, units, u);
    f(kk, c0, c1);
  });
  const fns: [string, () => void][] = [
    ['FP32 sgemm 1 thread', () => k.sgemm(M, N, K, a, b, c, N)],
    [`FP32 sgemm ${threads} threads`, split((kk, c0, c1) => kk.sgemm(M, c1 - c0, K, a, b + c0 * K * 4, c + c0 * 4, N))],
    ['INT8 qgemm 1 thread', () => k.qgemm(M, N, KP, a, b, c, N)],
    [`INT8 qgemm ${threads} threads`, split((kk, c0, c1) => kk.qgemm(M, c1 - c0, KP, a, b + c0 * KP * 4, c + c0 * 4, N))],
  ];
  const all: number[][] = fns.map(() => []), quietK: number[][] = fns.map(() => []);
  const t0 = Date.now();
  while (Date.now() - t0 < 30_000 && quietK.some((q) => q.length < 30)) {
    fns.forEach(([, f], i) => {
      const b0 = busyMs(), o0 = ownMs(), s0 = performance.now();
      for (let r = 0; r < 5; r++) f();
      const ms = (performance.now() - s0) / 5, b1 = busyMs();
      all[i]!.push(ms);
      if (b0 !== undefined && b1 !== undefined && (b1 - b0 - (ownMs() - o0)) / (5 * ms) < 0.1) quietK[i]!.push(ms);
    });
  }
  await pool.terminate();
  console.log(`GEMM of ResNet18 layer2 3x3 (M ${M}, K ${K}, N ${N}), ${units} units on ${threads} threads; ms per call, median of all / of quiet samples (count):`);
  fns.forEach(([n], i) => console.log(`  ${n.padEnd(22)} ${medianOr(all[i]!).toFixed(2).padStart(7)} / ${medianOr(quietK[i]!).toFixed(2).padStart(7)} (${quietK[i]!.length})`));
  const r = (i: number, j: number, d: number[][]) => (medianOr(d[i]!) / medianOr(d[j]!)).toFixed(2);
  console.log(`  speedup FP32 ${r(0, 1, all)}x / ${r(0, 1, quietK)}x, INT8 ${r(2, 3, all)}x / ${r(2, 3, quietK)}x`);
}

await kernelSection();

const calib = Array.from({ length: 4 }, (_, i) => ({ input: new CoreTensor('float32', image(i + 1), [1, 3, 224, 224]) }));
const fBytes = encodeModel(buildResNet18({ seed: 1, batch: 1 })).model;
const { model: int8 } = await quantizeModel(buildResNet18({ seed: 1, batch: 1 }), {}, { backend: onnxruntimeBackend, executor: ortWeb, calibration: calib });
const qBytes = encodeModel(int8).model;
const feed = { input: new Tensor('float32', image(99), [1, 3, 224, 224]) };

const sessions = {
  'FP32 1 thread': await InferenceSession.create(fBytes),
  [`FP32 ${threads} threads`]: await InferenceSession.create(fBytes, { intraOpNumThreads: threads }),
  'INT8 1 thread': await InferenceSession.create(qBytes),
  [`INT8 ${threads} threads`]: await InferenceSession.create(qBytes, { intraOpNumThreads: threads }),
};
const names = Object.keys(sessions);
const list = Object.values(sessions);
const times: number[][] = list.map(() => []);
/** Times of runs during which other processes used under a tenth of a core. */
const quiet: number[][] = list.map(() => []);
for (let i = 0; i < 2; i++) for (const s of list) await s.run(feed);
for (let r = 0; r < runs; r++) {
  for (let j = 0; j < list.length; j++) {
    const b0 = busyMs(), o0 = ownMs(), t0 = performance.now();
    await list[j]!.run(feed);
    const ms = performance.now() - t0, b1 = busyMs();
    times[j]!.push(ms);
    if (b0 !== undefined && b1 !== undefined && (b1 - b0 - (ownMs() - o0)) / ms < 0.1) quiet[j]!.push(ms);
  }
}
console.log(`ResNet18 batch 1, 224x224, 1 thread vs ${threads} threads, ${runs} interleaved runs each`);
const rows: [string, (v: number[]) => number, number[][]][] = [['median', median, times], ['fastest', (v) => Math.min(...v), times]];
if (quiet.every((q) => q.length >= 3)) rows.push([`median of quiet runs (${quiet.map((q) => q.length).join('/')})`, median, quiet]);
else console.log(`(too few runs with the machine otherwise idle for a quiet median: ${quiet.map((q) => q.length).join('/')})`);
for (const [label, pick, data] of rows) {
  const ms = data.map(pick);
  console.log(`${label}:`);
  names.forEach((n, i) => console.log(`  ${n.padEnd(18)} ${ms[i]!.toFixed(1).padStart(8)} ms`));
  console.log(`  FP32 speedup ${(ms[0]! / ms[1]!).toFixed(2)}x, INT8 speedup ${(ms[2]! / ms[3]!).toFixed(2)}x`);
}
for (const [a, b] of [[0, 1], [2, 3]] as const) {
  const x = (await list[a]!.run(feed)).output!.data as Float32Array, y = (await list[b]!.run(feed)).output!.data as Float32Array;
  let same = x.length === y.length;
  for (let i = 0; same && i < x.length; i++) if (!Object.is(x[i], y[i])) same = false;
  console.log(`${names[b]} output identical to ${names[a]}: ${same}`);
}
await Promise.all(list.map((s) => s.release()));
