/**
 * `qtk bench [--models ...] [--runtimes ...] [--precisions ...] [--threads ...]
 * [--iterations N] [--data DATA ...] [--dim NAME=SIZE] [--out DIR]`: times FP32 against
 * qtk's quantized variants on several runtimes and writes bench.json, bench.md and
 * bench.html (inline SVG charts) to --out. Quality is measured on the model's labelled
 * data, the user's `--data`, or else random inputs, and the tables say which. Failed cells
 * (a runtime that will not load, a model that will not quantize) show their reason and
 * the rest of the table still comes out; when every cell failed the exit code is 1.
 */
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { QtkError, type Model } from '@qtk/core';
import {
  builderModelSource, digitsSource, isBuilderModel, isKnownModel, knownModelSource, modelFromFactory, modelFromFile, ortNodeRuntime, ortWebRuntime,
  parsePrecisions, qtkWasmRuntime, renderMarkdown, renderSummary, writeReports, BUILDER_MODELS, KNOWN_MODELS,
  type BenchResult, type BuilderModel, type ModelSource, type PrecisionId, type RuntimePlugin,
} from '@qtk/bench';
import { listOpt, numberOpt, positiveIntOpt, stringOpt, type CommandSpec } from '../args.js';
import { dimOpt, shapeSources } from '../benchSources.js';
import { println, type Command, type TextOut } from '../command.js';
import { DATA_FLAGS, dataOptionSpecs, dataRequest } from '../dataOptions.js';
import { createProgress } from '../progress.js';
import { findDigitsDir } from './demo.js';

/** Runtime names `--runtimes` takes, with their aliases. */
export const RUNTIME_NAMES: Readonly<Record<string, 'onnxruntime-node' | 'onnxruntime-web' | 'qtk-wasm'>> = {
  'onnxruntime-node': 'onnxruntime-node', 'ort-node': 'onnxruntime-node', node: 'onnxruntime-node',
  'onnxruntime-web': 'onnxruntime-web', 'ort-web': 'onnxruntime-web', web: 'onnxruntime-web',
  'qtk-wasm': 'qtk-wasm', wasm: 'qtk-wasm',
};

const spec: CommandSpec = {
  name: 'bench',
  summary: 'Benchmark FP32 against qtk INT8 (and other precisions) across runtimes and models: latency median/p90/p99 with spread, throughput, session time, size, peak RSS, and accuracy or SQNR; writes JSON, Markdown and an HTML report with charts.',
  usage: 'bench [--models LIST] [--runtimes LIST] [--precisions LIST] [--threads LIST] [--iterations N] [--data DATA [data options]] [--dim NAME=SIZE] [--out DIR]',
  options: {
    models: { type: 'string', value: 'LIST', help: `models: ${[...KNOWN_MODELS, ...BUILDER_MODELS].join(', ')}, or .onnx paths (default digits)` },
    runtimes: { type: 'string', value: 'LIST', help: 'onnxruntime-node, onnxruntime-web, qtk-wasm (default all three)' },
    precisions: { type: 'string', value: 'LIST', help: 'fp32, int8 (static, as qtk quantize), int8-dynamic, int4 (weight-only, blocks of 32), file:PATH.onnx; also int8-static, int4-weight-only, dynamic, float (default fp32,int8-static,int8-dynamic)' },
    threads: { type: 'string', value: 'LIST', help: 'thread counts for onnxruntime-node and onnxruntime-web, one runtime per count (default: onnxruntime-node\'s own default, 1 for web)' },
    iterations: { type: 'string', value: 'N', help: 'timed batch-1 runs per variant (default 30)' },
    warmup: { type: 'string', value: 'N', help: 'untimed runs per variant first (default 5)' },
    'batch-sizes': { type: 'string', value: 'LIST', help: 'batch sizes whose throughput is measured (default 1,4)' },
    out: { type: 'string', value: 'DIR', help: 'folder for bench.json, bench.md, bench.html (default: a new temp folder)' },
    root: { type: 'string', value: 'DIR', help: 'qtk workspace holding fixtures/ and node_modules (default: found above the current folder; without one, digits is the copy shipped with @qtk/cli)' },
    dim: { type: 'string', value: 'NAME=SIZE', multiple: true, help: 'size of a symbolic input dim other than the batch, e.g. seq=128 (needed for every such dim that --data does not size)' },
    ...dataOptionSpecs(DATA_FLAGS, { group: 'quality data (one model; read as --calib of qtk quantize)', batchHelp: 'samples per quality run on --data (default: as many as fit 256 MiB of activations, at most 32; fixed by the model if its batch dim is); throughput batches are --batch-sizes' }),
  },
  notes: [
    'Variants of a model run interleaved (A B A B ...) on each runtime after a warm-up.',
    'resnet18, mobilenetv2 and bert are built with seeded weights by @qtk/models; digits, ppocr-det, ppocr-rec and',
    'silero-vad are files of the qtk workspace (outside one, digits comes with @qtk/cli).',
    'Quality is accuracy on labelled data (digits), else SQNR and top-1 agreement with FP32 on --data (which also',
    'calibrates int8), else on seeded random noise, and the tables say so: figures on noise say little about real data.',
    'A run where every cell failed exits with code 1, printing the reasons.',
    'examples:',
    '  qtk bench --models digits,silero-vad --runtimes onnxruntime-node,onnxruntime-web --iterations 50',
    '  qtk bench --models model.onnx --precisions fp32,file:model.int8.onnx --threads 1,2 --out bench/',
    '  qtk bench --models resnet.onnx --precisions fp32,int8 --data images/ --data-size 100 --resize 256 --crop 224,224',
    '  qtk bench --models encoder.onnx --dim seq=128 --precisions fp32,int8-dynamic',
  ].join('\n'),
};

/** The qtk workspace above `from`: the first folder holding fixtures/digits. */
export function findWorkspaceRoot(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'fixtures', 'digits'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Model sources for the `--models` items. */
export function modelSources(items: readonly string[], root: string | undefined): ModelSource[] {
  const loadBuilders = async (): Promise<Record<string, { build: (seed?: number) => Model }>> => (await import('@qtk/models')).MODEL_BUILDERS;
  return items.map((item) => {
    if (isKnownModel(item)) {
      if (!root && item === 'digits') return digitsSource(findDigitsDir(), item);
      if (!root) return modelFromFactory(item, () => { throw new QtkError('E_IO', `no qtk workspace found to take '${item}' from; pass --root DIR`, { option: 'root' }); });
      return knownModelSource(item, root);
    }
    if (isBuilderModel(item)) {
      const name: BuilderModel = item;
      return builderModelSource(name, async (seed) => (await loadBuilders())[name]!.build(seed));
    }
    if (item.endsWith('.onnx')) return modelFromFile(path.basename(item, '.onnx'), path.resolve(item));
    throw new QtkError('E_OPTION', `--models: '${item}' is neither a known model (${[...KNOWN_MODELS, ...BUILDER_MODELS].join(', ')}) nor an .onnx file`, { option: 'models' });
  });
}

/** Runtime plugins for the `--runtimes` items and `--threads` counts. */
export function runtimePlugins(items: readonly string[], threads: readonly number[] | undefined): RuntimePlugin[] {
  const out: RuntimePlugin[] = [];
  for (const item of items) {
    const kind = RUNTIME_NAMES[item];
    if (!kind) throw new QtkError('E_OPTION', `--runtimes: unknown runtime '${item}'; use onnxruntime-node, onnxruntime-web or qtk-wasm`, { option: 'runtimes' });
    if (kind === 'qtk-wasm') out.push(qtkWasmRuntime());
    else for (const t of threads ?? [undefined]) out.push(kind === 'onnxruntime-node' ? ortNodeRuntime({ threads: t }) : ortWebRuntime({ threads: t }));
  }
  return out.filter((r, i) => out.findIndex((x) => x.name === r.name) === i);
}

function positiveList(items: string[] | undefined, option: string): number[] | undefined {
  return items?.map((s) => {
    if (!/^\d+$/.test(s) || Number(s) < 1) throw new QtkError('E_OPTION', `--${option} takes positive integers separated by commas; got '${s}'`, { option });
    return Number(s);
  });
}

/** The `bench` command. */
export const benchCommand: Command = {
  ...spec,
  async run(args, io) {
    if (args.positionals.length) throw new QtkError('E_OPTION', `bench takes no positional arguments; got ${args.positionals.map((x) => `'${x}'`).join(', ')} (use --models)`);
    const root = stringOpt(args, 'root') ?? findWorkspaceRoot(process.cwd());
    const modelItems = listOpt(args, 'models') ?? ['digits'];
    const precisions: PrecisionId[] = parsePrecisions(listOpt(args, 'precisions') ?? ['fp32', 'int8-static', 'int8-dynamic']);
    if (precisions.some((p) => p.startsWith('file:')) && modelItems.length > 1) {
      throw new QtkError('E_OPTION', '--precisions file:PATH names one model\'s quantized file; give a single --models item with it', { option: 'precisions' });
    }
    const request = dataRequest(args, DATA_FLAGS);
    const dims = dimOpt(args);
    const runtimes = runtimePlugins(listOpt(args, 'runtimes') ?? ['onnxruntime-node', 'onnxruntime-web', 'qtk-wasm'], positiveList(listOpt(args, 'threads'), 'threads'));
    const iterations = positiveIntOpt(args, 'iterations') ?? 30;
    const warmup = numberOpt(args, 'warmup', { integer: true, min: 0 });
    const batchSizes = positiveList(listOpt(args, 'batch-sizes'), 'batch-sizes') ?? [1, 4];
    const outOpt = stringOpt(args, 'out');
    const models = await shapeSources(modelSources(modelItems, root), request, dims, io);
    const outDir = outOpt ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'qtk-bench-')));

    const { runBench } = await import('@qtk/bench');
    const bar = createProgress(io.stderr, { label: 'bench', total: models.length * (precisions.length + runtimes.length), unit: 'steps' });
    let result;
    try {
      result = await runBench({
        models, runtimes, precisions, iterations, batchSizes,
        ...(warmup !== undefined && { warmup }),
        onProgress: (p) => bar.update(p.done, p.total),
      });
    } finally {
      bar.finish();
    }
    const files = await writeReports(result, outDir);
    io.stdout.write(renderMarkdown(result));
    const candidate = precisions.find((p) => p !== 'fp32');
    if (precisions.includes('fp32') && candidate) {
      println(io.stdout, `FP32 against ${candidate}:`);
      println(io.stdout);
      io.stdout.write(renderSummary(result, { candidate }));
      println(io.stdout);
    }
    if (result.cells.some((c) => c.status === 'ok' && c.quality?.dataKind === 'random')) {
      println(io.stdout, 'quality: measured on seeded random noise, not real data (top-1 agreement on noise says little about accuracy); give --data DATA for your own samples');
    }
    const failed = result.cells.filter((c) => c.status === 'failed').length;
    println(io.stdout, `cells: ${result.cells.length - failed} measured, ${failed} failed (reasons in the table)`);
    println(io.stdout, `wrote ${files.json}, ${files.markdown}, ${files.html}`);
    if (failed < result.cells.length) return 0;
    printFailures(result, io.stderr);
    return 1;
  },
};

/** Every distinct reason of a run whose cells all failed, on stderr, with how many cells each stopped. */
function printFailures(result: BenchResult, err: TextOut): void {
  const reasons = new Map<string, number>();
  for (const c of result.cells) if (c.status === 'failed') reasons.set(`${c.stage}: ${c.reason}`, (reasons.get(`${c.stage}: ${c.reason}`) ?? 0) + 1);
  println(err, `qtk: bench measured nothing: all ${result.cells.length} cells failed`);
  for (const [reason, n] of reasons) println(err, `qtk:   ${n} cell${n > 1 ? 's' : ''}: ${reason}`);
}
