/**
 * `qtk demo [--out DIR]`: quantizes the digits CNN in fixtures/digits statically
 * (256 training rows, batch 32), then compares FP32 and INT8 on the 500 test rows:
 * accuracy, file size, and onnxruntime-node latency (batch 1, one thread, medians).
 * Its last line is `demo: fp32_acc=… int8_acc=… size_ratio=… speedup=…`.
 */
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { QtkError, batchSamples, parseRawFloat32, quantizeModel, sliceRows, type ExecutorSession, type Tensor } from '@qtk/core';
import { loadModelFile, saveModelFile, writeFileAtomic } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { positiveIntOpt, stringOpt, type CommandSpec } from '../args.js';
import { println, type Command } from '../command.js';
import { progressReporter } from './quantize.js';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

/** The digits fixture: files and splits (see fixtures/digits/README.md). */
export const DIGITS = {
  model: 'digits_cnn.onnx',
  x: 'digits_x_f32_n1797_1x8x8.bin',
  y: 'digits_y_u8_n1797.bin',
  rows: 1797,
  trainEnd: 1297,
  calibRows: 256,
  calibBatch: 32,
} as const;

/**
 * The folder holding the digits fixture: walks up from this module to the first
 * fixtures/digits, the copy the build puts in the package's dist/ when installed, the
 * workspace's own when run from source.
 */
export function findDigitsDir(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'fixtures', 'digits');
    if (existsSync(path.join(candidate, DIGITS.model))) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new QtkError('E_IO', `cannot find fixtures/digits/${DIGITS.model} above '${from}'; pass its folder with --data DIR`, { file: DIGITS.model });
}

/** Fraction of rows whose argmax over `logits` [N, C] equals `labels`. */
export function accuracy(logits: Tensor, labels: Uint8Array): number {
  const [n, c] = logits.dims as [number, number];
  const v = logits.data as Float32Array;
  let right = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (v[i * c + j]! > v[i * c + best]!) best = j;
    if (best === labels[i]) right++;
  }
  return right / n;
}

/** Median of a list of numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median run time (ms) of two sessions on the same feeds, runs interleaved (order alternating) after a warm-up. */
async function latency(a: ExecutorSession, b: ExecutorSession, feeds: Record<string, Tensor>, runs: number): Promise<[number, number]> {
  const time = async (s: ExecutorSession) => { const t = performance.now(); await s.run(feeds); return performance.now() - t; };
  for (let i = 0; i < Math.max(10, runs / 10); i++) { await a.run(feeds); await b.run(feeds); }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2) { tb.push(await time(b)); ta.push(await time(a)); } else { ta.push(await time(a)); tb.push(await time(b)); }
  }
  return [median(ta), median(tb)];
}

const spec: CommandSpec = {
  name: 'demo',
  summary: 'Quantize the digits CNN (fixtures/digits) statically and compare FP32 with INT8: accuracy on the 500 test images, file size, and onnxruntime-node latency at batch 1 on one thread.',
  usage: 'demo [--out DIR]',
  options: {
    out: { type: 'string', value: 'DIR', help: 'folder for the INT8 model and demo.json (default: a new temp folder)' },
    runs: { type: 'string', value: 'N', help: 'timed runs per model (default 200)' },
    data: { type: 'string', value: 'DIR', help: 'folder of the digits fixture (default: the copy shipped with @qtk/cli)' },
  },
};

/** The `demo` command. */
export const demoCommand: Command = {
  ...spec,
  async run(args, io) {
    const out = (line: string) => println(io.stdout, line);
    if (args.positionals.length) throw new QtkError('E_OPTION', `demo takes no arguments; got ${args.positionals.map((x) => `'${x}'`).join(', ')}`);
    const runs = positiveIntOpt(args, 'runs') ?? 200;
    const dataDir = stringOpt(args, 'data') ?? findDigitsDir();
    const outOpt = stringOpt(args, 'out');
    let outDir: string;
    if (outOpt) {
      outDir = outOpt;
      await fs.mkdir(outDir, { recursive: true });
    } else outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'qtk-demo-'));

    const fp32File = path.join(dataDir, DIGITS.model);
    const model = await loadModelFile(fp32File);
    const x = parseRawFloat32(await fs.readFile(path.join(dataDir, DIGITS.x)), [DIGITS.rows, 1, 8, 8], DIGITS.x);
    const y = new Uint8Array(await fs.readFile(path.join(dataDir, DIGITS.y)));
    if (y.length !== DIGITS.rows) throw new QtkError('E_CALIB_DATA', `${DIGITS.y} has ${y.length} labels; ${DIGITS.rows} expected`, { file: DIGITS.y });
    const input = model.graph.inputs[0]!;
    const output = model.graph.outputs[0]!.name;
    out(`data: ${dataDir}`);

    const calib = batchSamples(sliceRows(x, 0, DIGITS.calibRows), input, { batchSize: DIGITS.calibBatch });
    out(`quantize: static, ${calib.samples} training rows in ${calib.batches.length} batches of ${calib.batchSize}`);
    const progress = progressReporter(io, calib.samples);
    let q: Awaited<ReturnType<typeof quantizeModel>>;
    try {
      q = await quantizeModel(model, { mode: 'static' }, {
        backend: onnxruntimeBackend,
        executor: ortNode,
        calibration: calib.batches.map((t) => ({ [input.name]: t })),
        calibrationBatches: calib.batches.length,
        onProgress: progress.onProgress,
      });
    } finally {
      progress.finish();
    }
    const int8File = path.join(outDir, 'digits_cnn_int8.onnx');
    const int8Bytes = (await saveModelFile(q.model, int8File)).bytes;
    out(`wrote ${int8File} (${q.report.quantized.length} ops quantized, ${q.report.float.length} left float)`);

    // One single-threaded session per model serves both the accuracy pass and the timing.
    const test = { [input.name]: sliceRows(x, DIGITS.trainEnd, DIGITS.rows) };
    const labels = y.subarray(DIGITS.trainEnd);
    const one = { [input.name]: sliceRows(x, DIGITS.trainEnd, DIGITS.trainEnd + 1) };
    const s32 = await ortNode.createSession(model, { threads: 1 });
    let acc: [number, number];
    let ms: [number, number];
    try {
      const s8 = await ortNode.createSession(q.model, { threads: 1 });
      try {
        const accuracyOf = async (s: ExecutorSession) => accuracy((await s.run(test, [output]))[output]!, labels);
        acc = [await accuracyOf(s32), await accuracyOf(s8)];
        ms = await latency(s32, s8, one, runs);
      } finally {
        await s8.release();
      }
    } finally {
      await s32.release();
    }

    const size = [(await fs.stat(fp32File)).size, int8Bytes] as const;
    const sizeRatio = size[1] / size[0];
    const speedup = ms[0] / ms[1];
    const rows = [
      ['model', 'accuracy', 'size (bytes)', 'latency p50 (ms)'],
      ['FP32', acc[0].toFixed(3), String(size[0]), ms[0].toFixed(3)],
      ['INT8', acc[1].toFixed(3), String(size[1]), ms[1].toFixed(3)],
      ['INT8/FP32', '', sizeRatio.toFixed(3), `${speedup.toFixed(2)}x faster`],
    ];
    const w = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    out('');
    out(`test split: ${labels.length} images; latency: onnxruntime-node, batch 1, 1 thread, median of ${runs} interleaved runs`);
    for (const r of rows) out(r.map((cell, c) => (c === 0 ? cell.padEnd(w[c]!) : cell.padStart(w[c]!))).join('  ').trimEnd());
    await writeFileAtomic(path.join(outDir, 'demo.json'), JSON.stringify({
      fp32: { file: fp32File, accuracy: acc[0], bytes: size[0], latencyMs: ms[0] },
      int8: { file: int8File, accuracy: acc[1], bytes: size[1], latencyMs: ms[1] },
      sizeRatio, speedup, runs, report: q.report,
    }, null, 2) + '\n');
    out('');
    out(`demo: fp32_acc=${acc[0].toFixed(3)} int8_acc=${acc[1].toFixed(3)} size_ratio=${sizeRatio.toFixed(3)} speedup=${speedup.toFixed(2)}`);
    return 0;
  },
};
