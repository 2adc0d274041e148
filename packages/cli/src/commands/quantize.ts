/**
 * `qtk quantize IN.onnx -o OUT.onnx [options]`: static quantization with calibration
 * data (`--calib`: .npy, raw float32, token ids or images), dynamic without, or
 * weight-only. Every QuantizeOptions field has a flag; `--config` supplies a JSON
 * QuantizeOptions that flags override. Checks every option and the output path before it
 * reads the model; writes the model and the report atomically.
 */
import { promises as fs } from 'node:fs';
import {
  QtkError, compareModels, compareReportToJson, quantizeModel,
  type Progress, type QuantizeOptions, type QuantizeReport,
} from '@qtk/core';
import { loadModelFile, saveModelFile, writeFileAtomic } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { positiveIntOpt, stringOpt, type CommandSpec, type ParsedArgs } from '../args.js';
import { setupCalibration, type CalibRequest } from '../calibSetup.js';
import { CALIB_FLAGS, dataFlagsGiven, dataOptionSpecs, dataRequest } from '../dataOptions.js';
import { println, type CliIO, type Command } from '../command.js';
import { formatEffectiveOptions } from '../effectiveOptions.js';
import { createProgress, type ProgressBar } from '../progress.js';
import { mergeOptions, readConfigFile, resolveChecked } from '../quantizeConfig.js';
import { optionsFromFlags, quantizeOptionSpecs } from '../quantizeFlags.js';
import { checkWritableFile, sameFile } from '../outputFiles.js';
import { withThreads } from '../ortExecutor.js';
import { formatBytes } from './inspect.js';

export { pickInput } from '../calibInputs.js';

/** Flags that only apply when calibrating (static mode), besides --calib. */
const STATIC_ONLY = ['activation-type', 'method', 'percentile', 'averaging-constant', 'symmetric-activations', 'asymmetric-activations'];

const spec: CommandSpec = {
  name: 'quantize',
  summary: 'Quantize an ONNX model. With --calib the mode is static (activation ranges from calibration data run through onnxruntime-node); without it, dynamic (weights ahead of time, activations at run time); --mode weight-only quantizes weights only. Options left out take the quantizer\'s defaults; the summary prints the options in effect.',
  usage: 'quantize IN.onnx -o OUT.onnx [options]',
  options: {
    output: { type: 'string', short: 'o', value: 'OUT.onnx', help: 'where to write the quantized model (required; not the input)' },
    config: { type: 'string', value: 'FILE.json', help: 'quantize options as JSON (QuantizeOptions field names); flags override them' },
    report: { type: 'string', value: 'REPORT.json', help: 'write the quantization report as JSON, with per-node and per-output SQNR against the float model on the calibration data' },
    threads: { type: 'string', value: 'N', help: 'onnxruntime intra-op threads during calibration' },
    ...quantizeOptionSpecs(),
    ...dataOptionSpecs(CALIB_FLAGS, { group: 'calibration data (static mode)', batchHelp: 'calibration batch size (default 32; fixed by the model if its batch dim is)' }),
  },
  notes: [
    'examples:',
    '  qtk quantize model.onnx -o model.int8.onnx --calib samples.npy',
    '  qtk quantize model.onnx -o model.int8.onnx --calib x.bin --calib-shape N,1,8,8 --report report.json',
    '  qtk quantize resnet.onnx -o resnet.int8.onnx --calib images/ --resize 256 --crop 224,224 \\',
    '      --mean 0.485,0.456,0.406 --std 0.229,0.224,0.225 --calib-size 200 --method percentile',
    '  qtk quantize bert.onnx -o bert.int8.onnx --calib input_ids.npy --per-tensor --exclude /attention/',
    '  qtk quantize model.onnx -o model.dyn.onnx            (dynamic)',
    '  qtk quantize llm.onnx -o llm.w4.onnx --mode weight-only --weight-type int4 --block-size 32',
  ].join('\n'),
};

/** The `quantize` command's options after checking, before the model is read. */
interface Plan {
  input: string;
  output: string;
  modeLine: string;
  /** Options passed to core (config merged with flags, mode filled in). */
  options: QuantizeOptions;
  config?: string;
  calib?: CalibRequest;
  report?: string;
  threads?: number;
}

/** Checks the arguments and reads --config; throws E_OPTION for anything wrong. */
async function plan(args: ParsedArgs): Promise<Plan> {
  const [input, ...extra] = args.positionals;
  if (!input) throw new QtkError('E_OPTION', "quantize needs a model file: qtk quantize IN.onnx -o OUT.onnx (see 'qtk quantize --help')");
  if (extra.length) throw new QtkError('E_OPTION', `quantize takes one model file; also got ${extra.map((x) => `'${x}'`).join(', ')}`);
  const output = stringOpt(args, 'output');
  if (!output) throw new QtkError('E_OPTION', 'missing -o OUT.onnx: say where to write the quantized model', { option: 'output' });

  const flags = optionsFromFlags(args);
  const configFile = stringOpt(args, 'config');
  const config = configFile === undefined ? {} : await readConfigFile(configFile);
  const merged = mergeOptions(config, flags);
  const calib = stringOpt(args, 'calib');
  const mode = merged.mode ?? (calib ? 'static' : 'dynamic');
  const modeLine = flags.mode
    ? `mode: ${mode}`
    : config.mode ? `mode: ${mode} (from --config ${configFile})`
    : calib ? 'mode: static (default with --calib)' : 'mode: dynamic (default without --calib; give --calib DATA for static)';
  const options: QuantizeOptions = { ...merged, mode };
  resolveChecked(options, flags, configFile);
  if (mode === 'static' && !calib) throw new QtkError('E_OPTION', 'static mode needs calibration data: --calib DATA (or use --mode dynamic)', { option: 'calib' });
  const staticOnly = [...dataFlagsGiven(args, CALIB_FLAGS), ...STATIC_ONLY.filter((o) => args.values[o] !== undefined)];
  if (mode !== 'static' && (calib || staticOnly.length)) {
    const which = [...(calib ? ['calib'] : []), ...staticOnly];
    throw new QtkError('E_OPTION', `${which.map((o) => `--${o}`).join(', ')} ${which.length > 1 ? 'apply' : 'applies'} to static mode only; ${mode} mode needs no calibration`, { option: which[0] });
  }

  const calibRequest = dataRequest(args, CALIB_FLAGS);
  return {
    input, output, modeLine, options, config: configFile, calib: calibRequest,
    report: stringOpt(args, 'report'),
    threads: positiveIntOpt(args, 'threads'),
  };
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
    await checkWritableFile(file, option);
  }
}

/**
 * Shows calibration progress on stderr in samples (with samples per second); other
 * phases are short and stay silent. `expected` is the number of samples.
 */
export function progressReporter(io: CliIO, expected?: number): { onProgress: (p: Progress) => void; finish: () => void } {
  let bar: ProgressBar | undefined;
  let batches = 0;
  const finish = () => { bar?.finish(batches ? `${batches} batches` : undefined); bar = undefined; };
  return {
    onProgress(p) {
      if (p.phase !== 'calibrate') { finish(); return; }
      bar ??= createProgress(io.stderr, { label: 'calibrate', total: expected, unit: 'samples' });
      batches = p.done;
      bar.update(p.samples ?? p.done);
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

/** The closing summary: the options in effect, ops quantized, ops left float with reasons, size, time. */
export function formatQuantizeSummary(report: QuantizeReport, sizes: { before: number; after: number }, seconds: number): string[] {
  const lines = [formatEffectiveOptions(report.options), `quantized ${report.quantized.length} ops${report.quantized.length ? `: ${countByType(report.quantized)}` : ''}`];
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
  const mp = report.mixedPrecision;
  if (mp) {
    const step = (s: (typeof mp.steps)[number]) =>
      `${s.restored ? `-${s.restored[0]}${s.accepted ? '' : ' (undone)'}` : `+${s.added.length}`} ${typeof s.outputSqnrDb === 'number' ? s.outputSqnrDb.toFixed(2) : s.outputSqnrDb}`;
    lines.push(`mixed precision: ${mp.keptFloat.length} nodes kept float for ${mp.minOutputSqnrDb} dB output SQNR; SQNR by step: ${mp.steps.map(step).join(', ')}`);
    if (mp.note) lines.push(`mixed precision: ${mp.note}`);
  }
  const ratio = sizes.before ? sizes.after / sizes.before : NaN;
  lines.push(`size: ${sizes.before} -> ${sizes.after} bytes (${formatBytes(sizes.before)} -> ${formatBytes(sizes.after)}, ratio ${ratio.toFixed(3)})`);
  lines.push(`time: ${seconds.toFixed(2)} s (quantize ${report.seconds.toFixed(2)} s)`);
  return lines;
}

/** Calibration batches the `--report` quality comparison runs on. */
const QUALITY_BATCHES = 8;

async function runQuantize(args: ParsedArgs, io: CliIO): Promise<number> {
  const t0 = performance.now();
  const p = await plan(args);
  await checkOutputs(p);
  const out = (line: string) => println(io.stdout, line);
  out(p.modeLine);

  const model = await loadModelFile(p.input);
  const before = (await fs.stat(p.input)).size;
  const ctx: Parameters<typeof quantizeModel>[2] = {};
  let calibInfo: Record<string, unknown> | undefined;
  let expectedSamples: number | undefined;
  if (p.calib) {
    const c = await setupCalibration(model, p.calib);
    for (const line of c.lines) out(line);
    ctx.executor = withThreads(ortNode, p.threads);
    ctx.calibration = c.feeds;
    ctx.calibrationBatches = c.batches;
    expectedSamples = c.samples;
    calibInfo = c.info;
  }
  const progress = progressReporter(io, expectedSamples);
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
  // The quality report: per-node and per-output SQNR against the float model, on (up to 8 of) the calibration batches.
  const quality = p.report && ctx.executor && Array.isArray(ctx.calibration)
    ? await compareModels(model, result.model, ctx.executor, ctx.calibration, { maxBatches: QUALITY_BATCHES })
    : undefined;
  if (quality) for (const o of quality.outputs) out(`output '${o.tensor}': SQNR ${o.sqnrDb.toFixed(2)} dB, cosine ${o.cosine.toFixed(6)} against the float model`);
  if (p.report) {
    const json = {
      tool: 'qtk quantize', input: p.input, output: p.output, ...(p.config && { config: p.config }), calibration: calibInfo,
      sizes: { before, after, ratio: after / before }, seconds, report: result.report,
      ...(quality && { quality: compareReportToJson(quality) }),
    };
    await writeFileAtomic(p.report, JSON.stringify(json, null, 2) + '\n');
  }
  for (const line of formatQuantizeSummary(result.report, { before, after }, seconds)) out(line);
  out(`wrote ${p.output}${p.report ? ` and ${p.report}` : ''}`);
  return 0;
}

/** The `quantize` command. */
export const quantizeCommand: Command = { ...spec, run: runQuantize };
