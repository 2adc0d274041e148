/**
 * `qtk quantize IN.onnx -o OUT.onnx [options]`: static INT8 quantization with
 * calibration data (`--calib`), or dynamic without. Checks every option and the output
 * path before it reads the model; writes the model and the report atomically.
 */
import { promises as fs, constants as fsc } from 'node:fs';
import * as path from 'node:path';
import {
  QtkError, batchSamples, formatDims, quantizeModel,
  type Executor, type Feeds, type Model, type Progress, type QuantizeOptions, type QuantizeReport, type ValueInfo,
} from '@qtk/core';
import { loadModelFile, saveModelFile, writeFileAtomic } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { choiceOpt, listOpt, parseDims, positiveIntOpt, stringOpt, type CommandSpec, type ParsedArgs } from '../args.js';
import { loadCalibData } from '../calibData.js';
import { println, type CliIO, type Command } from '../command.js';
import { createProgress, type ProgressBar } from '../progress.js';
import { formatBytes } from './inspect.js';

const spec: CommandSpec = {
  name: 'quantize',
  summary: 'Quantize an ONNX model to INT8. With --calib the mode is static (activation ranges from calibration data run through onnxruntime-node); without it, dynamic (weights ahead of time, activations at run time).',
  usage: 'quantize IN.onnx -o OUT.onnx [options]',
  options: {
    output: { type: 'string', short: 'o', value: 'OUT.onnx', help: 'where to write the quantized model (required; not the input)' },
    mode: { type: 'string', value: 'static|dynamic', help: 'default: static with --calib, dynamic without' },
    calib: { type: 'string', value: 'DATA', help: 'calibration samples: a .npy file, a folder of .npy files, or a raw float32 file' },
    'calib-shape': { type: 'string', value: 'DIMS', help: 'shape of a raw float32 --calib file, e.g. N,1,8,8 (N: inferred)' },
    input: { type: 'string', value: 'NAME', help: 'model input the calibration data feeds (default: the single float input)' },
    'batch-size': { type: 'string', value: 'N', help: 'calibration batch size (default 32; fixed by the model if its batch dim is)' },
    'per-tensor': { type: 'boolean', help: 'one scale per weight tensor instead of per output channel' },
    'activation-type': { type: 'string', value: 'uint8|int8', help: 'activation type in static mode (default uint8)' },
    'weight-type': { type: 'string', value: 'int8|uint8', help: 'weight type (default int8)' },
    'op-types': { type: 'string', value: 'A,B', help: 'quantize only these op types, e.g. Conv,Gemm' },
    exclude: { type: 'string', value: 'N1,N2', help: 'node names (or /regex/) to keep in float' },
    report: { type: 'string', value: 'REPORT.json', help: 'write the quantization report as JSON' },
    threads: { type: 'string', value: 'N', help: 'onnxruntime intra-op threads during calibration' },
  },
  notes: [
    'examples:',
    '  qtk quantize model.onnx -o model.int8.onnx --calib samples.npy',
    '  qtk quantize model.onnx -o model.int8.onnx --calib x.bin --calib-shape N,1,8,8 --report report.json',
    '  qtk quantize model.onnx -o model.dyn.onnx            (dynamic)',
  ].join('\n'),
};

/** The `quantize` command's options after checking, before any file is read. */
interface Plan {
  input: string;
  output: string;
  mode: 'static' | 'dynamic';
  modeLine: string;
  options: QuantizeOptions;
  calib?: string;
  calibShape?: number[];
  inputName?: string;
  batchSize?: number;
  report?: string;
  threads?: number;
}

function plan(args: ParsedArgs): Plan {
  const [input, ...extra] = args.positionals;
  if (!input) throw new QtkError('E_OPTION', "quantize needs a model file: qtk quantize IN.onnx -o OUT.onnx (see 'qtk quantize --help')");
  if (extra.length) throw new QtkError('E_OPTION', `quantize takes one model file; also got ${extra.map((x) => `'${x}'`).join(', ')}`);
  const output = stringOpt(args, 'output');
  if (!output) throw new QtkError('E_OPTION', 'missing -o OUT.onnx: say where to write the quantized model', { option: 'output' });

  const calib = stringOpt(args, 'calib');
  const asked = choiceOpt(args, 'mode', ['static', 'dynamic'] as const);
  const mode = asked ?? (calib ? 'static' : 'dynamic');
  const modeLine = asked
    ? `mode: ${mode}`
    : calib ? 'mode: static (default with --calib)' : 'mode: dynamic (default without --calib; give --calib DATA for static)';
  const shapeText = stringOpt(args, 'calib-shape');
  const calibShape = shapeText === undefined ? undefined : parseDims(shapeText, 'calib-shape');
  const staticOnly = ['calib-shape', 'input', 'batch-size', 'activation-type'].filter((o) => args.values[o] !== undefined);
  if (mode === 'static' && !calib) throw new QtkError('E_OPTION', 'static mode needs calibration data: --calib DATA (or use --mode dynamic)', { option: 'calib' });
  if (mode === 'dynamic' && (calib || staticOnly.length)) {
    const which = [...(calib ? ['calib'] : []), ...staticOnly].map((o) => `--${o}`).join(', ');
    throw new QtkError('E_OPTION', `${which} ${staticOnly.length + (calib ? 1 : 0) > 1 ? 'apply' : 'applies'} to static mode only; dynamic mode needs no calibration`, { option: 'mode' });
  }
  const activationType = choiceOpt(args, 'activation-type', ['uint8', 'int8'] as const);
  const weightType = choiceOpt(args, 'weight-type', ['int8', 'uint8'] as const);
  const options: QuantizeOptions = {
    version: 1,
    mode,
    ...(activationType && { activationType }),
    ...(weightType && { weightType }),
    perChannel: !args.values['per-tensor'],
  };
  const opTypes = listOpt(args, 'op-types');
  const exclude = listOpt(args, 'exclude');
  if (opTypes) options.opTypes = opTypes;
  if (exclude) options.exclude = exclude;
  return {
    input, output, mode, modeLine, options, calib, calibShape,
    inputName: stringOpt(args, 'input'),
    batchSize: positiveIntOpt(args, 'batch-size'),
    report: stringOpt(args, 'report'),
    threads: positiveIntOpt(args, 'threads'),
  };
}

/** Resolved real path of `p`; for a path that does not exist yet, its folder's real path plus its name. */
async function realPath(p: string): Promise<string> {
  try {
    return await fs.realpath(p);
  } catch {
    try {
      return path.join(await fs.realpath(path.dirname(p)), path.basename(p));
    } catch {
      return path.resolve(p);
    }
  }
}

/** True when `a` and `b` name the same file (same real path, or same device and inode). */
export async function sameFile(a: string, b: string): Promise<boolean> {
  if ((await realPath(a)) === (await realPath(b))) return true;
  try {
    const [sa, sb] = await Promise.all([fs.stat(a), fs.stat(b)]);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/** Refuses outputs that would overwrite the input or each other, or that cannot be written. */
async function checkOutputs(p: Plan): Promise<void> {
  if (await sameFile(p.input, p.output)) {
    throw new QtkError('E_OPTION', `-o '${p.output}' is the input model '${p.input}'; refusing to overwrite it (choose another output path)`, { option: 'output', file: p.output });
  }
  if (p.report && ((await sameFile(p.report, p.input)) || (await sameFile(p.report, p.output)))) {
    throw new QtkError('E_OPTION', `--report '${p.report}' is the same file as the input or the output model`, { option: 'report', file: p.report });
  }
  for (const [file, option] of [[p.output, 'output'], ...(p.report ? [[p.report, 'report']] : [])] as const) {
    const st = await fs.stat(file).catch(() => undefined);
    if (st?.isDirectory()) throw new QtkError('E_OPTION', `--${option} '${file}' is a folder; give a file path`, { option, file });
    const dir = path.dirname(path.resolve(file));
    try {
      await fs.access(dir, fsc.W_OK);
    } catch {
      throw new QtkError('E_IO', `cannot write --${option} '${file}': folder '${dir}' does not exist or is not writable`, { option, file });
    }
  }
}

/** The model input that calibration data feeds: `name`, or the single float input. */
export function pickInput(model: Model, name?: string): ValueInfo {
  const g = model.graph;
  const inputs = g.inputs.filter((v) => !g.initializers.has(v.name));
  const describe = (v: ValueInfo) => `'${v.name}'${v.type?.kind === 'tensor' ? ` ${formatDims(v.type.shape)} ${v.type.dtype}` : ''}`;
  let chosen: ValueInfo | undefined;
  if (name !== undefined) {
    chosen = inputs.find((v) => v.name === name);
    if (!chosen) throw new QtkError('E_OPTION', `--input '${name}' is not a model input; inputs: ${inputs.map(describe).join(', ')}`, { option: 'input', tensor: name });
  } else {
    const float = inputs.filter((v) => v.type?.kind === 'tensor' && ['float32', 'float16', 'float64'].includes(v.type.dtype));
    if (float.length !== 1) {
      throw new QtkError('E_OPTION', `the model has ${float.length} float inputs (${inputs.map(describe).join(', ') || 'none'}); name the one the calibration data feeds with --input`, { option: 'input' });
    }
    chosen = float[0]!;
  }
  const others = inputs.filter((v) => v !== chosen);
  if (others.length) {
    throw new QtkError('E_CALIB_DATA', `the model has other inputs besides ${describe(chosen)}: ${others.map(describe).join(', ')}; --calib feeds one input only`, { tensor: others[0]!.name });
  }
  return chosen;
}

/** `ortNode` with a fixed intra-op thread count. */
function withThreads(executor: Executor, threads?: number): Executor {
  if (!threads) return executor;
  return { name: executor.name, createSession: (m, o) => executor.createSession(m, { ...o, threads: o?.threads ?? threads }) };
}

/** Shows calibration progress on stderr; other phases are short and stay silent. */
export function progressReporter(io: CliIO, expected?: number): { onProgress: (p: Progress) => void; finish: () => void } {
  let bar: ProgressBar | undefined;
  let samples: number | undefined;
  const finish = () => { bar?.finish(samples !== undefined ? `${samples} samples` : undefined); bar = undefined; };
  return {
    onProgress(p) {
      if (p.phase !== 'calibrate') { finish(); return; }
      bar ??= createProgress(io.stderr, { label: 'calibrate', total: p.total ?? expected, unit: 'batches' });
      samples = p.samples ?? samples;
      bar.update(p.done, p.total);
    },
    finish,
  };
}

/** Ops quantized by type, most first: `Conv 3, Gemm 2`. */
export function countByType(list: ReadonlyArray<{ opType: string }>): string {
  const m = new Map<string, number>();
  for (const n of list) m.set(n.opType, (m.get(n.opType) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t, n]) => `${t} ${n}`).join(', ');
}

/** The closing summary: ops quantized, ops left float with reasons, size, time. */
export function formatQuantizeSummary(report: QuantizeReport, sizes: { before: number; after: number }, seconds: number): string[] {
  const lines = [`quantized ${report.quantized.length} ops${report.quantized.length ? `: ${countByType(report.quantized)}` : ''}`];
  lines.push(`left float ${report.float.length} ops${report.float.length ? ':' : ''}`);
  const groups = new Map<string, { opType: string; reason: string; n: number }>();
  for (const f of report.float) {
    const key = `${f.opType}\u0000${f.reason}`;
    const g = groups.get(key) ?? { opType: f.opType, reason: f.reason, n: 0 };
    g.n++;
    groups.set(key, g);
  }
  for (const g of [...groups.values()].sort((a, b) => b.n - a.n || a.opType.localeCompare(b.opType))) lines.push(`  ${g.opType} x${g.n}: ${g.reason}`);
  if (report.zeroRange.length) lines.push(`zero-range tensors (a valid scale was chosen): ${report.zeroRange.join(', ')}`);
  const ratio = sizes.before ? sizes.after / sizes.before : NaN;
  lines.push(`size: ${sizes.before} -> ${sizes.after} bytes (${formatBytes(sizes.before)} -> ${formatBytes(sizes.after)}, ratio ${ratio.toFixed(3)})`);
  lines.push(`time: ${seconds.toFixed(2)} s (quantize ${report.seconds.toFixed(2)} s)`);
  return lines;
}

async function runQuantize(args: ParsedArgs, io: CliIO): Promise<number> {
  const t0 = performance.now();
  const p = plan(args);
  await checkOutputs(p);
  const out = (line: string) => println(io.stdout, line);
  out(p.modeLine);

  const model = await loadModelFile(p.input);
  const before = (await fs.stat(p.input)).size;
  const ctx: Parameters<typeof quantizeModel>[2] = {};
  let calibInfo: Record<string, unknown> | undefined;
  if (p.mode === 'static') {
    const input = pickInput(model, p.inputName);
    const data = await loadCalibData(p.calib!, { shape: p.calibShape });
    const b = batchSamples(data.tensor, input, { batchSize: p.batchSize });
    const from = data.files.length === 1 ? data.files[0] : `${data.files.length} files in ${p.calib}`;
    out(`calibration: ${b.samples} samples ${formatDims(data.tensor.dims.slice(1))} ${data.tensor.dtype} from ${from} -> input '${input.name}', ${b.batches.length} batches of ${b.batchSize}`);
    if (b.dropped) out(`calibration: ${b.dropped} trailing samples left out (the model fixes the batch dim to ${b.batchSize})`);
    ctx.executor = withThreads(ortNode, p.threads);
    ctx.calibration = b.batches.map((t): Feeds => ({ [input.name]: t }));
    ctx.calibrationBatches = b.batches.length;
    calibInfo = { files: data.files, input: input.name, samples: b.samples, dropped: b.dropped, batches: b.batches.length, batchSize: b.batchSize };
  }
  const progress = progressReporter(io, ctx.calibrationBatches);
  ctx.onProgress = progress.onProgress;
  let result: Awaited<ReturnType<typeof quantizeModel>>;
  try {
    result = await quantizeModel(model, p.options, ctx);
  } finally {
    progress.finish();
  }
  const saved = await saveModelFile(result.model, p.output);
  const after = saved.bytes + saved.externalBytes;
  const seconds = (performance.now() - t0) / 1000;
  if (p.report) {
    const json = {
      tool: 'qtk quantize', input: p.input, output: p.output, calibration: calibInfo,
      sizes: { before, after, ratio: after / before }, seconds, report: result.report,
    };
    await writeFileAtomic(p.report, JSON.stringify(json, null, 2) + '\n');
  }
  for (const line of formatQuantizeSummary(result.report, { before, after }, seconds)) out(line);
  out(`wrote ${p.output}${p.report ? ` and ${p.report}` : ''}`);
  return 0;
}

/** The `quantize` command. */
export const quantizeCommand: Command = { ...spec, run: runQuantize };
