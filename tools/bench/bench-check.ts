/**
 * Checks the harness's timing against a bare loop: ResNet18 FP32 on onnxruntime-node,
 * batch 1, 2 threads, 5 warm-up runs and 50 timed runs each way. The bare loop creates an
 * onnxruntime-node session itself and times `session.run`; the harness goes through
 * `runBench` (executor, tensor conversion, interleaving with nothing). They run in pairs,
 * each pair back to back with the first of the two alternating, so that a drift of a
 * loaded machine touches both sides of a pair alike. Prints each pair's medians and
 * ratio, the pooled medians, and the median of the pair ratios (expected within ±10%).
 *
 * Usage: npx tsx --conditions=@qtk/source tools/bench/bench-check.ts [--runs 50] [--threads 2] [--pairs 6]
 */
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { builderModelSource, median, ortNodeRuntime, runBench } from '@qtk/bench';
import { encodeModel } from '@qtk/core';
import { buildResNet18 } from '@qtk/models';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '50' }, threads: { type: 'string', default: '2' }, pairs: { type: 'string', default: '6' } } });
const runs = Number(values.runs);
const pairs = Number(values.pairs);
const threads = Number(values.threads);
const WARMUP = 5;
const source = builderModelSource('resnet18', (seed) => buildResNet18({ seed }));
const model = await source.load();

/** Bare loop: a session made directly on onnxruntime-node, the same input each run. */
async function bare(): Promise<number[]> {
  const session = await ort.InferenceSession.create(encodeModel(model).model, { intraOpNumThreads: threads, interOpNumThreads: 1 });
  const data = new Float32Array(3 * 224 * 224);
  let s = 1;
  for (let i = 0; i < data.length; i++) data[i] = ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const feeds = { input: new ort.Tensor('float32', data, [1, 3, 224, 224]) };
  for (let i = 0; i < WARMUP; i++) await session.run(feeds);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t0);
  }
  await session.release();
  return times;
}

/** The harness: FP32 only, no quality rows, the same warm-up and run count. */
async function harness(): Promise<number[]> {
  const r = await runBench({ models: [source], runtimes: [ortNodeRuntime({ threads })], precisions: ['fp32'], iterations: runs, warmup: WARMUP, qualityRows: 0 });
  const c = r.cells[0]!;
  if (c.status !== 'ok') throw new Error(`harness cell failed: ${c.reason}`);
  return c.samplesMs;
}

const bareSamples: number[] = [];
const harnessSamples: number[] = [];
const ratios: number[] = [];
for (let pair = 0; pair < pairs; pair++) {
  // Alternate which goes first, so neither always follows the other.
  const order = pair % 2 === 0 ? (['bare', 'harness'] as const) : (['harness', 'bare'] as const);
  const got: Record<string, number> = {};
  for (const which of order) {
    const t = which === 'bare' ? await bare() : await harness();
    (which === 'bare' ? bareSamples : harnessSamples).push(...t);
    got[which] = median(t);
  }
  ratios.push(got.harness! / got.bare!);
  console.log(`pair ${pair + 1}: bare loop median ${got.bare!.toFixed(2)} ms, harness median ${got.harness!.toFixed(2)} ms, ratio ${ratios.at(-1)!.toFixed(3)}`);
}
const b = median(bareSamples);
const h = median(harnessSamples);
const r = median(ratios);
console.log(`pooled over ${pairs} pairs of ${runs} runs: bare loop ${b.toFixed(2)} ms, harness ${h.toFixed(2)} ms`);
console.log(`harness/bare: median of pair ratios ${r.toFixed(3)} (${Math.abs(r - 1) <= 0.1 ? 'within' : 'NOT within'} 10%), pooled ${(h / b).toFixed(3)}`);
