/**
 * Speed of static quantization on PP-OCRv4 rec (the shared ocr-lines calibration set)
 * against one plain FP32 onnxruntime-node pass over the same lines, same threads.
 *
 * Usage: npx tsx --conditions=@qtk/source tools/bench/quantize-speed.ts
 *   [--rounds=2] [--lines=100] [--threads=2] [--methods=entropy,mse,minmax] [--ort=1] [--digits=1]
 *
 * Each round runs, per method, the FP32 pass, the method's `quantizeModel` and the FP32
 * pass again, so that work on the machine from elsewhere hits both alike; the ratio is
 * quantization seconds over the mean of the two FP32 passes around it, and the median
 * over rounds is printed.
 * Per method it prints the stages `quantizeModel` reports through its `profile`
 * callback (preprocess, annotate, session creation with extra outputs, runs with the
 * outputs fetched, observer updates, range search, conversion), summed per quantization.
 * With --ort=1 it also times the calibration session on its own: the preprocessed model
 * plain, with the observed values as extra outputs but fetching only the graph outputs
 * (what the extra outputs cost onnxruntime's graph optimizations), and fetching every
 * observed value (the copies). It prints the sha256 of each quantized model, and with
 * --digits=1 of the digits CNN quantized by each method (to check that a change keeps
 * the quantized bytes). Prints only; asserts nothing.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import {
  encodeModel, prepareStatic, quantizeModel, Tensor, type CalibrationMethod, type Model, type QuantizeStage,
} from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { calibLines, loadRecModel } from './ocr-lines.js';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const rounds = Number(flag('rounds', '2'));
const nLines = Number(flag('lines', '100'));
const threads = Number(flag('threads', '2'));
const methods = flag('methods', 'entropy,mse,minmax').split(',') as CalibrationMethod[];
const ortDetail = flag('ort', '1') === '1';
const digits = flag('digits', '1') === '1';

const sha = (m: Model) => createHash('sha256').update(encodeModel(m).model).digest('hex').slice(0, 16);
const median = (v: number[]) => { const s = [...v].sort((a, b) => a - b); const k = s.length >> 1; return s.length % 2 ? s[k]! : (s[k - 1]! + s[k]!) / 2; };

/** Process CPU seconds (all threads) since `since`, or in total. */
const cpuSeconds = (since?: NodeJS.CpuUsage) => { const u = process.cpuUsage(since); return (u.user + u.system) / 1e6; };

/** Seconds of one pass of `model` over `xs`, one line per run, fetching `fetches` (default: the graph outputs). */
async function pass(model: Model, xs: Tensor[], extraOutputs?: string[], fetches?: string[], cpu?: number[]): Promise<number> {
  const s = await ortNode.createSession(model, { threads, ...(extraOutputs && { extraOutputs }) });
  const c = process.cpuUsage();
  const t = performance.now();
  for (const x of xs) await s.run({ x }, fetches);
  const sec = (performance.now() - t) / 1000;
  cpu?.push(cpuSeconds(c));
  await s.release();
  return sec;
}

const model = await loadRecModel();
const xs = calibLines(nLines);
console.log(`PP-OCRv4 rec, ${nLines} calibration lines [1,3,48,320], onnxruntime-node ${threads} threads, ${rounds} round(s)`);

const STAGES: QuantizeStage[] = ['preprocess', 'annotate', 'session', 'run', 'observe', 'range', 'convert'];
const fp32: number[] = [], fp32Cpu: number[] = [];
const cpuTotal = new Map<string, number[]>();
const total = new Map<string, number[]>();
const ratio = new Map<string, number[]>();
const stages = new Map<string, Map<QuantizeStage, number[]>>();
const hashes = new Map<string, string>();
await pass(model, xs.slice(0, 3)); // warm-up
for (let r = 0; r < rounds; r++) {
  for (const method of methods) {
    // The FP32 pass right before and after each quantization: their mean is the reference.
    const before = await pass(model, xs, undefined, undefined, fp32Cpu);
    const sum = new Map<QuantizeStage, number>();
    const c = process.cpuUsage();
    const t = performance.now();
    const { model: q } = await quantizeModel(model, { method }, {
      backend: onnxruntimeBackend,
      executor: ortNode, calibration: xs.map((x) => ({ x })), calibrationBatches: xs.length,
      profile: (stage, ms) => sum.set(stage, (sum.get(stage) ?? 0) + ms),
    });
    const sec = (performance.now() - t) / 1000;
    (cpuTotal.get(method) ?? cpuTotal.set(method, []).get(method)!).push(cpuSeconds(c));
    const after = await pass(model, xs, undefined, undefined, fp32Cpu);
    const f = (before + after) / 2;
    fp32.push(before, after);
    (total.get(method) ?? total.set(method, []).get(method)!).push(sec);
    (ratio.get(method) ?? ratio.set(method, []).get(method)!).push(sec / f);
    const per = stages.get(method) ?? stages.set(method, new Map()).get(method)!;
    for (const s of STAGES) (per.get(s) ?? per.set(s, []).get(s)!).push((sum.get(s) ?? 0) / 1000);
    hashes.set(method, sha(q));
    console.log(`  round ${r + 1}: ${method} ${sec.toFixed(2)} s, fp32 ${before.toFixed(2)} s before, ${after.toFixed(2)} s after (${(sec / f).toFixed(2)}x their mean)`);
  }
}

console.log(`\nFP32 pass over ${nLines} lines: ${median(fp32).toFixed(2)} s, ${median(fp32Cpu).toFixed(2)} CPU s (medians of ${fp32.length})`);
console.log(`\n${'method'.padEnd(8)} ${'total s'.padStart(8)} ${'x fp32'.padStart(7)} ${'CPU s'.padStart(7)}  ${STAGES.map((s) => s.padStart(10)).join(' ')}  sha256`);
for (const m of methods) {
  const per = stages.get(m)!;
  console.log(`${m.padEnd(8)} ${median(total.get(m)!).toFixed(2).padStart(8)} ${median(ratio.get(m)!).toFixed(2).padStart(7)} ${median(cpuTotal.get(m)!).toFixed(2).padStart(7)}  ${STAGES.map((s) => median(per.get(s)!).toFixed(2).padStart(10)).join(' ')}  ${hashes.get(m)}`);
}
console.log('(stage seconds: medians over rounds; run includes fetching the observed values; x fp32: median of per-round ratios; CPU s: process CPU seconds of the quantization, all threads)');

if (ortDetail) {
  // The calibration session's extra outputs: the values the default method observes.
  const state = await prepareStatic(model, { method: 'minmax' }, { backend: onnxruntimeBackend, executor: ortNode, calibration: [{ x: xs[0]! }] });
  const names = [...new Set([...state.ranges.keys(), ...state.nonFloat.keys()])];
  const plain: number[] = [], outputsOnly: number[] = [], all: number[] = [];
  for (let r = 0; r < rounds; r++) {
    plain.push(await pass(state.model, xs));
    outputsOnly.push(await pass(state.model, xs, names, state.model.graph.outputs.map((o) => o.name)));
    all.push(await pass(state.model, xs, names, [...state.model.graph.outputs.map((o) => o.name), ...names]));
  }
  console.log(`\nCalibration session on the preprocessed model (${names.length} observed values), ${nLines} runs, medians of ${rounds}:`);
  console.log(`  plain session:                            ${median(plain).toFixed(2)} s`);
  console.log(`  extra outputs, graph outputs fetched:     ${median(outputsOnly).toFixed(2)} s`);
  console.log(`  extra outputs, every observed value too:  ${median(all).toFixed(2)} s`);
}

if (digits) {
  const dir = fileURLToPath(new URL('../../fixtures/digits/', import.meta.url));
  const dm = await loadModelFile(`${dir}digits_cnn.onnx`);
  const xb = readFileSync(`${dir}digits_x_f32_n1797_1x8x8.bin`);
  const x = new Float32Array(xb.buffer.slice(xb.byteOffset, xb.byteOffset + 256 * 256));
  const batches = Array.from({ length: 8 }, (_, b) => ({ input: new Tensor('float32', x.slice(b * 32 * 64, (b + 1) * 32 * 64), [32, 1, 8, 8]) }));
  const line: string[] = [];
  for (const method of ['minmax', 'moving-average', 'mean-minmax', 'entropy', 'percentile', 'mse'] as CalibrationMethod[]) {
    const { model: q } = await quantizeModel(dm, { method }, { backend: onnxruntimeBackend, executor: ortNode, calibration: batches });
    line.push(`${method} ${sha(q)}`);
  }
  console.log(`\ndigits CNN sha256: ${line.join(', ')}`);
}
