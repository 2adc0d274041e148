/**
 * `qtk quantize IN.onnx -o OUT.onnx [options]`: static quantization with calibration
 * data (`--calib`: .npy, raw float32, token ids, images, or one array per input), dynamic without, or
 * weight-only. Every QuantizeOptions field has a flag; `--config` supplies a JSON
 * QuantizeOptions that flags override. Checks every option and the output path before it
 * reads the model, refusing options that would do nothing in the mode (core's
 * OPTION_SCOPES, CLI_FLAG_SCOPES); prints core's report warnings; refuses a run that
 * quantized nothing; writes the model and the report atomically. A backend's own flags
 * come from its option spec (backendOptionFlags.ts), which may also choose the mode and
 * whether the run calibrates; a backend with its own `quantize` flow runs it in place of
 * core's `quantizeModel`, and the files it gives back are written atomically where its
 * flags say.
 */
import { promises as fs } from 'node:fs';
import {
  QtkError, asQuantizeOptions, backendDefaults, isQtkError, compareReportToJson, quantizeModel, validateModel,
  type AnyQuantizeOptions, type BackendPlugin, type BackendQuantizeResult, type ProfiledQuantizeContext, type Feeds, type Progress, type QuantizeOptions, type QuantizeReport,
} from '@qtk/core';
import { loadModelFile, saveModelFile, writeFileAtomic, type OutputLock } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { numberOpt, positiveIntOpt, stringOpt, type CommandSpec, type OptionSpec, type ParsedArgs } from '../args.js';
import { setupCalibration, type CalibRequest } from '../calibSetup.js';
import { CALIB_FLAGS, dataOptionSpecs, dataRequest } from '../dataOptions.js';
import { println, warn, type CliIO, type Command } from '../command.js';
import { formatEffectiveOptions } from '../effectiveOptions.js';
import { createProgress, type ProgressBar } from '../progress.js';
import { mergeOptions, optionSource, readConfigFile, renameOptionError, resolveChecked } from '../quantizeConfig.js';
import { checkFlagScopes } from '../quantizeFlagScopes.js';
import { groupFloatNodes } from '../floatGroups.js';
import { checkSomethingQuantized } from '../nothingQuantized.js';
import { optionsFromFlags, quantizeOptionSpecs } from '../quantizeFlags.js';
import { checkWritableFile, lockOutputs, releaseLocks, sameFile } from '../outputFiles.js';
import { withThreads } from '../ortExecutor.js';
import { formatBytes } from './inspect.js';
import { checkQuality } from '../qualityCheck.js';
import { MEMORY_BUDGET_OPTION, memoryBudgetOpt } from '../memoryBudgetFlag.js';
import { backendArg, backendFromFlag, backendOptionSpec, shippedBackends } from '../backendFlag.js';
import { backendInputFiles, backendOptionsFromFlags, backendOptionSpecs, backendOutputFiles } from '../backendOptionFlags.js';

export { pickInput } from '../calibInputs.js';


/** Heading of the data flags in help. */
const CALIB_GROUP = 'calibration data (static mode; in other modes, data for the quality check)';

/** The options of `qtk quantize` before any backend's own. */
const OWN_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  output: { type: 'string', short: 'o', value: 'OUT.onnx', help: 'where to write the quantized model (required; not the input)' },
  config: { type: 'string', value: 'FILE.json', help: 'quantize options as JSON (QuantizeOptions field names); flags override them' },
  report: { type: 'string', value: 'REPORT.json', help: 'write the quantization report as JSON, with per-node and per-output SQNR against the float model on the calibration data' },
  threads: { type: 'string', value: 'N', help: 'onnxruntime intra-op threads during calibration' },
  ...MEMORY_BUDGET_OPTION,
  ...backendOptionSpec(),
  ...quantizeOptionSpecs(),
  ...dataOptionSpecs(CALIB_FLAGS, { group: CALIB_GROUP, batchHelp: 'calibration batch size (default: as many samples as fit 256 MiB of activations, at most 32; fixed by the model if its batch dim is)' }),
  holdout: { type: 'string', value: 'N', group: CALIB_GROUP, help: 'samples held back from calibration to check quality on (default: a tenth, 2 to 16, of 20 or more samples; 0: check on calibration samples)' },
};

/** The command's options with the option flags of `backends`, each under its backend's heading. */
function optionsWith(backends: readonly BackendPlugin[]): Record<string, OptionSpec> {
  return { ...OWN_OPTIONS, ...backendOptionSpecs(backends, new Set(Object.keys(OWN_OPTIONS))) };
}

const spec: CommandSpec = {
  name: 'quantize',
  summary: 'Quantize an ONNX model. With --calib the mode is static (activation ranges from calibration data run through onnxruntime-node); without it, dynamic (weights ahead of time, activations at run time); --mode weight-only quantizes weights only. --backend picks the runtime the placement and defaults are for (default onnxruntime). Options left out take the backend\'s defaults; the summary prints the options in effect.',
  usage: 'quantize IN.onnx -o OUT.onnx [options]',
  options: optionsWith(shippedBackends()),
  notes: [
    'examples:',
    '  qtk quantize model.onnx -o model.int8.onnx --calib samples.npy',
    '  qtk quantize model.onnx -o model.int8.onnx --calib x.bin --calib-shape N,1,8,8 --report report.json',
    '  qtk quantize resnet.onnx -o resnet.int8.onnx --calib images/ --resize 256 --crop 224,224 \\',
    '      --mean 0.485,0.456,0.406 --std 0.229,0.224,0.225 --calib-size 200 --method percentile',
    '  qtk quantize bert.onnx -o bert.int8.onnx --calib input_ids.npy --per-tensor --exclude /attention/',
    '  qtk quantize bert.onnx -o bert.int8.onnx --calib input_ids=ids.npy --calib attention_mask=mask.npy',
    '  qtk quantize model.onnx -o model.dyn.onnx            (dynamic)',
    '  qtk quantize llm.onnx -o llm.w4.onnx --mode weight-only --weight-type int4 --block-size 32',
    '  qtk quantize model.onnx -o model.int8.onnx --calib x.npy --backend ./myBackend.js   (a third-party backend)',
    '  qtk quantize model.onnx -o model.trt.onnx --backend tensorrt --calib x.npy --calibration-cache model.cache',
    '  qtk quantize model.onnx -o model.trt.onnx --backend tensorrt --from-cache model.cache   (Q/DQ from the cache, no calibration)',
    '  qtk quantize model.onnx -o model.ov.onnx --backend openvino --calib x.npy --preset mixed --ignored-scope-types Softmax',
    '  qtk quantize model.onnx -o model.ov.onnx --backend openvino --calib x.npy --validation val.npy --metric accuracy --labels y.npy --max-drop 0.01',
    '',
    "A backend's own flags are listed under its heading; a module backend's (--backend MODULE) show with 'qtk quantize --backend MODULE --help'.",
  ].join('\n'),
};

/** A backend's own options as the command line holds them: whatever its option spec made of its flags. */
type BackendOptionBag = Record<string, unknown>;

/** The `quantize` command's options after checking, before the model is read. */
interface Plan {
  input: string;
  output: string;
  modeLine: string;
  /** Options passed to core (config merged with flags, mode filled in, the backend's own options from its flags). */
  options: QuantizeOptions<BackendOptionBag>;
  /** The backend quantized for (`--backend`). */
  backend: BackendPlugin<BackendOptionBag>;
  /** The options the flags set (to name the flag in core's errors and warnings). */
  flags: AnyQuantizeOptions;
  /** Warnings about flags that do part of what they say. */
  warnings: string[];
  /** True when the run calibrates on --calib data (else the data, if any, serves the quality check). */
  calibrates: boolean;
  /** The backend's settings in force, one line (from its option spec), when it gives one. */
  backendSummary?: string;
  /** Files the backend's options read (`--from-cache`): never written. */
  inputFiles: Array<{ flag: string; file: string }>;
  /** Files the backend's options name for its outputs (`--calibration-cache`): field, flag, path. */
  outputFiles: Array<{ field: string; flag: string; file: string }>;
  config?: string;
  calib?: CalibRequest;
  report?: string;
  threads?: number;
  /** `--memory-budget` in bytes. */
  maxTensorBytes?: number;
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
  const backend = await backendFromFlag(args);
  const own = await backendOptionsFromFlags(args, backend, shippedBackends(), merged, flags, calib !== undefined);
  const mode = merged.mode ?? own?.mode ?? (calib ? 'static' : 'dynamic');
  const modeLine = flags.mode
    ? `mode: ${mode}`
    : config.mode ? `mode: ${mode} (from --config ${configFile})`
    : own?.mode ? `mode: ${mode} (chosen by --backend ${backend.name})`
    : calib ? 'mode: static (default with --calib)' : 'mode: dynamic (default without --calib; give --calib DATA for static)';
  const given = { ...merged, mode };
  resolveChecked(given, flags, configFile, backendDefaults(backend, own?.backendOptions));
  const options = asQuantizeOptions<BackendOptionBag>({ ...given, ...(own && { backendOptions: own.backendOptions }) });
  const calibrates = (own?.calibration ?? (mode === 'static' ? 'needed' : 'unused')) === 'needed';
  if (calibrates && !calib) throw new QtkError('E_OPTION', `${mode} mode needs calibration data: --calib DATA${mode === 'static' ? ' (or use --mode dynamic)' : ''}`, { option: 'calib' });
  const holdout = numberOpt(args, 'holdout', { integer: true, min: 0 });
  const data = dataRequest(args, CALIB_FLAGS);
  const calibRequest: CalibRequest | undefined = data && { ...data, ...(calibrates && { holdout: holdout ?? 'auto' }) };
  const report = stringOpt(args, 'report');
  const threads = positiveIntOpt(args, 'threads');
  const maxTensorBytes = memoryBudgetOpt(args);
  // Flags scoped to calibration (--holdout) apply wherever the run calibrates.
  const warnings = [...checkFlagScopes(new Set(Object.keys(args.values).filter((k) => args.values[k] !== undefined)), calibrates ? 'static' : mode), ...(own?.warnings ?? [])];
  return {
    input, output, modeLine, options, backend: backend as BackendPlugin<BackendOptionBag>, flags, warnings, calibrates, ...(own?.summary && { backendSummary: own.summary }),
    inputFiles: backendInputFiles(args, backend), outputFiles: backendOutputFiles(args, backend),
    config: configFile, calib: calibRequest, report, threads, maxTensorBytes,
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
  // Files the backend's options read (--from-cache, --validation, ...) are inputs too.
  for (const f of p.inputFiles) {
    for (const [label, file] of [['-o', p.output], ...(p.report ? [['--report', p.report]] : [])] as const) {
      if (await sameFile(file, f.file)) {
        throw new QtkError('E_OPTION', `${label} '${file}' is the same file as --${f.flag} '${f.file}', which this run reads; refusing to overwrite it (choose another path)`, { option: label === '-o' ? 'output' : 'report', file });
      }
    }
  }
  // The backend's outputs: none may be the input, a file its options read, another output or each other.
  const written: Array<{ label: string; file: string }> = [{ label: '-o', file: p.output }, ...(p.report ? [{ label: '--report', file: p.report }] : [])];
  const read = [{ label: 'the input model', file: p.input }, ...p.inputFiles.map((f) => ({ label: `--${f.flag}`, file: f.file }))];
  for (const o of p.outputFiles) {
    for (const other of [...read, ...written]) {
      if (await sameFile(o.file, other.file)) {
        throw new QtkError('E_OPTION', `--${o.flag} '${o.file}' is the same file as ${other.label === 'the input model' ? other.label : `${other.label} '${other.file}'`}; choose another path`, { option: o.flag, file: o.file });
      }
    }
    written.push({ label: `--${o.flag}`, file: o.file });
  }
  for (const [file, option] of [[p.output, 'output'], ...(p.report ? [[p.report, 'report']] : []), ...p.outputFiles.map((o) => [o.file, o.flag])] as const) {
    await checkWritableFile(file, option);
  }
}

/**
 * Shows progress on stderr: calibration in samples (with samples per second), each
 * mixed-precision step with where it left the output SQNR, and the quality check in
 * batches. Other phases are short and stay silent. `expected` is the number of samples.
 */
export function progressReporter(io: CliIO, expected?: number): { onProgress: (p: Progress) => void; finish: () => void } {
  let bar: ProgressBar | undefined;
  let phase: Progress['phase'] | undefined;
  let batches = 0;
  const finish = () => { bar?.finish(phase === 'calibrate' && batches ? `${batches} batches` : undefined); bar = undefined; phase = undefined; };
  return {
    onProgress(p) {
      if (p.phase !== phase) finish();
      if (p.phase === 'calibrate') {
        phase = p.phase;
        bar ??= createProgress(io.stderr, { label: 'calibrate', total: expected, unit: 'samples' });
        batches = p.done;
        bar.update(p.samples ?? p.done);
      } else if (p.phase === 'backend') {
        println(io.stderr, p.detail ?? '');
      } else if (p.phase === 'mixed-precision') {
        println(io.stderr, `mixed precision: step ${p.done}: ${p.detail ?? ''}`.trimEnd());
      } else if (p.phase === 'compare') {
        phase = p.phase;
        bar ??= createProgress(io.stderr, { label: 'quality check', total: p.total, unit: 'batches' });
        bar.update(p.done, p.total);
      }
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

/** Seconds each stage of `qtk quantize` took. */
export interface QuantizeTimes {
  /** The whole command. */
  total: number;
  /** Quantizing (calibration, mixed precision and conversion included). */
  quantize: number;
  /** The quality check against the float model, when it ran. */
  check?: number;
}

/** The closing summary: the options in effect, ops quantized, ops left float with reasons, size, time. */
export function formatQuantizeSummary(report: QuantizeReport, sizes: { before: number; after: number }, times: QuantizeTimes): string[] {
  const inBodies = report.quantized.filter((n) => n.graph).length;
  const where = inBodies ? ` (${inBodies} inside If/Loop/Scan bodies)` : '';
  const lines = [formatEffectiveOptions(report.options), `quantized ${report.quantized.length} ops${report.quantized.length ? `: ${countByType(report.quantized)}${where}` : ''}`];
  lines.push(`left float ${report.float.length} ops${report.float.length ? ':' : ''}`);
  for (const g of groupFloatNodes(report.float)) lines.push(`  ${g.opType} x${g.n}: ${g.reason}`);
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
  const search = mp ? `, of which mixed precision ${mp.seconds.toFixed(2)} s` : '';
  lines.push(`time: ${times.total.toFixed(2)} s (quantize ${times.quantize.toFixed(2)} s${search}${times.check !== undefined ? `, quality check ${times.check.toFixed(2)} s` : ''})`);
  return lines;
}

/** Batches of calibration data the quality check runs on when no sample is held back. */
const CHECK_BATCHES = 8;

async function runQuantize(args: ParsedArgs, io: CliIO): Promise<number> {
  const t0 = performance.now();
  const p = await plan(args);
  await checkOutputs(p);
  // Held for the whole run: a second qtk writing the same output fails now, not after it.
  const extra = p.outputFiles.map((o) => o.file);
  const locks = await lockOutputs([p.output, ...extra, ...(p.report ? [p.report] : [])]);
  const [outputLock, ...rest] = locks;
  const extraLocks = rest.slice(0, extra.length);
  const reportLock = p.report ? rest[extra.length] : undefined;
  try {
    return await quantizeLocked(p, io, t0, { output: outputLock!, report: reportLock, extra: extraLocks });
  } finally {
    await releaseLocks(locks);
  }
}

/** The run of `qtk quantize` after its checks, holding the locks on its outputs. */
async function quantizeLocked(p: Plan, io: CliIO, t0: number, locks: { output: OutputLock; report?: OutputLock; extra: OutputLock[] }): Promise<number> {
  const out = (line: string) => println(io.stdout, line);
  for (const w of p.warnings) warn(io, w);
  out(p.modeLine);
  if (p.backendSummary) out(`${p.backend.name}: ${p.backendSummary}`);

  const model = await loadModelFile(p.input);
  validateModel(model);
  const before = (await fs.stat(p.input)).size;
  const ctx: ProfiledQuantizeContext<BackendOptionBag> = { backend: p.backend, ...(p.maxTensorBytes !== undefined && { maxTensorBytes: p.maxTensorBytes }) };
  const executor = withThreads(ortNode, p.threads);
  let calibInfo: Record<string, unknown> | undefined;
  let expectedSamples: number | undefined;
  let check: { data: Feeds[]; what: string } | undefined;
  if (p.calib) {
    const c = await setupCalibration(model, p.calib);
    for (const line of c.lines) out(line);
    for (const w of c.warnings) warn(io, w);
    if (p.calibrates) {
      ctx.executor = executor;
      ctx.calibration = c.feeds;
      ctx.calibrationBatches = c.batches;
      expectedSamples = c.samples;
      check = c.holdout.length
        ? { data: c.holdout, what: `${c.holdoutSamples} held-back samples` }
        : { data: c.feeds.slice(0, CHECK_BATCHES), what: 'calibration samples: too few to hold some back' };
    } else {
      out(`calibration: ${p.options.mode} mode needs no calibration; the data serves the quality check`);
      check = { data: c.feeds.slice(0, CHECK_BATCHES), what: `${c.samples} samples of --calib` };
    }
    calibInfo = c.info;
  }
  const progress = progressReporter(io, expectedSamples);
  ctx.onProgress = progress.onProgress;
  let result: BackendQuantizeResult;
  try {
    result = p.backend.quantize ? await p.backend.quantize(model, p.options, ctx) : await quantizeModel(model, p.options, ctx);
  } catch (e) {
    // An error naming one of the backend's own options names it already as its flag.
    const own = new Set((p.backend.optionSpec?.fields ?? []).map((f) => f.name));
    throw isQtkError(e) && own.has(String(e.where.option)) ? e : renameOptionError(e, p.flags, p.config);
  } finally {
    progress.finish();
  }
  for (const w of result.report.warnings) {
    const source = w.option && optionSource(w.option, p.flags, p.config);
    warn(io, `${source ? `${source.label}: ` : ''}${w.message}`);
  }
  checkSomethingQuantized(result.report);
  // Every output the backend's flags name must have come back before anything is written.
  const extraData = p.outputFiles.map((o) => {
    const data = result.outputs?.[o.field];
    if (data === undefined) throw new QtkError('E_PLUGIN', `backend '${p.backend.name}' gave no '${o.field}' output for --${o.flag} '${o.file}'`, { option: o.flag, file: o.file });
    return data;
  });
  const saved = await saveModelFile(result.model, p.output, { lock: locks.output });
  for (const [i, o] of p.outputFiles.entries()) await writeFileAtomic(o.file, extraData[i]!, { lock: locks.extra[i]! });
  const after = saved.bytes + saved.externalBytes;
  // The quality check: output SQNR and cosine against the float model (every quantized node too with --report).
  const t1 = performance.now();
  let quality: Awaited<ReturnType<typeof checkQuality>> | undefined;
  if (check) {
    try {
      quality = await checkQuality(model, result.model, executor, check.data, check.what, {
        mode: result.report.mode,
        perNode: !!p.report,
        onBatch: (done, total) => progress.onProgress({ phase: 'compare', done, total }),
      });
    } finally {
      progress.finish();
    }
    for (const line of quality.lines) out(line);
    for (const w of quality.warnings) warn(io, w);
  } else {
    out(`quality: not measured; give --calib DATA (a few samples) to compare the ${p.options.mode} model's outputs with the float model's`);
  }
  const checkSeconds = check ? (performance.now() - t1) / 1000 : undefined;
  const seconds = (performance.now() - t0) / 1000;
  if (p.report) {
    const json = {
      tool: 'qtk quantize', input: p.input, output: p.output, ...(p.config && { config: p.config }), calibration: calibInfo,
      sizes: { before, after, ratio: after / before }, seconds, report: result.report,
      ...(quality && { quality: compareReportToJson(quality.report) }),
      ...(result.summary && { backend: { name: p.backend.name, summary: result.summary } }),
    };
    await writeFileAtomic(p.report, JSON.stringify(json, null, 2) + '\n', { lock: locks.report });
  }
  for (const line of formatQuantizeSummary(result.report, { before, after }, { total: seconds, quantize: result.report.seconds, ...(checkSeconds !== undefined && { check: checkSeconds }) })) out(line);
  for (const line of result.summary ?? []) out(line);
  const wrote = [p.output, ...p.outputFiles.map((o) => o.file), ...(p.report ? [p.report] : [])];
  out(`wrote ${wrote.slice(0, -1).join(', ')}${wrote.length > 1 ? ' and ' : ''}${wrote.at(-1)}`);
  return 0;
}

/**
 * The command's spec for `argv`: with `--backend MODULE` (a backend the CLI does not ship),
 * its option flags added, so that they parse and show in help. A module that does not load
 * leaves the spec as it is; the run then reports why.
 */
async function specFor(argv: readonly string[]): Promise<CommandSpec> {
  const name = backendArg(argv);
  if (name === undefined || shippedBackends().some((b) => b.name === name)) return spec;
  const backend = await backendFromFlag({ values: { backend: name }, positionals: [] }).catch(() => undefined);
  // The module first: a flag it shares with a shipped backend is listed under its heading.
  return backend?.optionSpec ? { ...spec, options: optionsWith([backend, ...shippedBackends()]) } : spec;
}

/** The `quantize` command. */
export const quantizeCommand: Command = { ...spec, run: runQuantize, specFor };
