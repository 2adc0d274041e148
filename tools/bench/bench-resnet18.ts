/**
 * Reproduces the ResNet18 FP32-against-INT8 table on this machine and writes
 * docs/benchmarks.md: qtk static INT8 (calibrated on 8 seeded random images) against FP32
 * on onnxruntime-node (2 threads), onnxruntime-web's wasm backend in Node (1 thread) and
 * qtk's wasm engine, batch-1 latency interleaved A B A B, plus size and SQNR.
 *
 * Usage: npx tsx --conditions=@qtk/source tools/bench/bench-resnet18.ts
 *          [--iterations N] [--warmup N] [--threads N] [--out DIR] [--no-docs]
 * (`npm run bench` runs it with the defaults: 50 iterations, 5 warm-up runs, 2 threads,
 * throughput at batch 4 besides batch 1; about 3 minutes on 2 busy cores.)
 * JSON, Markdown and HTML reports go to --out (default: a new temp folder).
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import {
  builderModelSource, ortNodeRuntime, ortWebRuntime, qtkWasmRuntime, renderMarkdown, renderSummary, runBench, writeReports,
  type BenchResult,
} from '@qtk/bench';
import { writeFileAtomic } from '@qtk/core/node';
import { buildResNet18 } from '@qtk/models';
import { benchmarksDoc } from './bench-doc.ts';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '5' },
    threads: { type: 'string', default: '2' },
    out: { type: 'string' },
    'no-docs': { type: 'boolean', default: false },
  },
});
const count = (name: string, v: string, min: number) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got '${v}'`);
  return n;
};
const iterations = count('iterations', values.iterations!, 1);
const warmup = count('warmup', values.warmup!, 0);
const threads = count('threads', values.threads!, 1);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = values.out ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'qtk-bench-resnet18-')));

const t0 = performance.now();
const result: BenchResult = await runBench({
  models: [builderModelSource('resnet18', (seed) => buildResNet18({ seed }))],
  runtimes: [ortNodeRuntime({ threads }), ortWebRuntime({ threads: 1 }), qtkWasmRuntime()],
  precisions: ['fp32', 'int8-static'],
  iterations,
  warmup,
  batchSizes: [1, 4],
  qualityRows: 8,
  onProgress: (p) => console.error(`[${p.done}/${p.total}] ${p.step} (${((performance.now() - t0) / 1000).toFixed(0)} s)`),
});
const seconds = (performance.now() - t0) / 1000;

console.log(renderSummary(result));
const files = await writeReports(result, outDir, 'resnet18');
console.log(`full tables: ${files.markdown}; charts: ${files.html}; data: ${files.json}`);
if (!values['no-docs']) {
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const doc = path.join(root, 'docs', 'benchmarks.md');
  await writeFileAtomic(doc, benchmarksDoc({ result, summary: renderSummary(result), full: renderMarkdown(result), command, seconds }));
  console.log(`wrote ${doc}`);
}
console.log(`done in ${seconds.toFixed(0)} s`);
