/**
 * `qtk compare FP32.onnx QUANT.onnx --data DATA [--json OUT] [--top N]`: runs both
 * models on the same samples through onnxruntime-node and prints, per quantized node
 * and per model output, the SQNR, cosine similarity and max abs error against FP32.
 * The data is read like `qtk quantize --calib` reads calibration data, with the same
 * flags (`--data-shape`, `--data-size`, `--seed`, `--input`, `--batch-size`, image flags).
 * Warns on stderr when the two models look swapped.
 */
import { QtkError, compareModels, compareReportToJson, formatCompareReport } from '@qtk/core';
import { loadModelFile, writeFileAtomic } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { positiveIntOpt, stringOpt, type CommandSpec, type ParsedArgs } from '../args.js';
import type { CalibRequest } from '../calibSetup.js';
import { DATA_FLAGS, dataOptionSpecs, dataRequest, setupData } from '../dataOptions.js';
import { MEMORY_BUDGET_OPTION } from '../memoryBudgetFlag.js';
import { swapWarnings } from '../modelSwap.js';
import { println, type CliIO, type Command } from '../command.js';
import { checkWritableFile, sameFile } from '../outputFiles.js';
import { createProgress } from '../progress.js';

/** Nodes shown when --top is not given. */
export const DEFAULT_TOP = 20;

const spec: CommandSpec = {
  name: 'compare',
  summary: 'Compare a quantized model with its float model on the same samples: SQNR, cosine similarity and max abs error per quantized node (lowest SQNR first) and per model output.',
  usage: 'compare FP32.onnx QUANT.onnx --data DATA [data options] [--json OUT] [--top N]',
  options: {
    json: { type: 'string', value: 'OUT.json', help: "write the full report as JSON (SQNR +Infinity as the string 'Infinity')" },
    top: { type: 'string', value: 'N', help: `show the N nodes of lowest SQNR (default ${DEFAULT_TOP})` },
    threads: { type: 'string', value: 'N', help: 'onnxruntime intra-op threads' },
    ...MEMORY_BUDGET_OPTION,
    ...dataOptionSpecs(DATA_FLAGS, { group: 'data (read as --calib of qtk quantize)', batchHelp: 'samples per run (default 32; fixed by the model if its batch dim is)' }),
  },
  notes: [
    'SQNR = 10*log10(sum x^2 / sum (x-y)^2) in dB over all samples, x from FP32, y from the quantized model;',
    'a node is matched to FP32 by its output name, and its output is taken as its consumers read it',
    "(after QuantizeLinear -> DequantizeLinear). 'added' is the SQNR of the noise the node adds itself.",
    '',
    'examples:',
    '  qtk compare model.onnx model.int8.onnx --data samples.npy',
    '  qtk compare model.onnx model.int8.onnx --data x.bin --data-shape N,1,8,8 --json quality.json --top 5',
    '  qtk compare resnet.onnx resnet.int8.onnx --data images/ --data-size 200 --resize 256 --crop 224,224 \\',
    '      --mean 0.485,0.456,0.406 --std 0.229,0.224,0.225',
    '',
    'A warning goes to stderr when the models look swapped: the first has quantized ops and the second none,',
    'or the second holds much more parameter data than the first.',
  ].join('\n'),
};

/** The command's arguments after checking, before any file is read. */
interface Plan {
  reference: string;
  candidate: string;
  data: CalibRequest;
  json?: string;
  top: number;
  threads?: number;
}

function plan(args: ParsedArgs): Plan {
  const [reference, candidate, ...extra] = args.positionals;
  if (!reference || !candidate) {
    throw new QtkError('E_OPTION', "compare needs two model files: qtk compare FP32.onnx QUANT.onnx --data DATA (see 'qtk compare --help')");
  }
  if (extra.length) throw new QtkError('E_OPTION', `compare takes two model files; also got ${extra.map((x) => `'${x}'`).join(', ')}`);
  const data = dataRequest(args, DATA_FLAGS);
  if (!data) throw new QtkError('E_OPTION', 'missing --data DATA: the samples both models run on', { option: 'data' });
  return {
    reference, candidate, data,
    json: stringOpt(args, 'json'),
    top: positiveIntOpt(args, 'top') ?? DEFAULT_TOP,
    threads: positiveIntOpt(args, 'threads'),
  };
}

/** Refuses a --json path that is one of the models, a folder, or in a folder that cannot be written. */
async function checkJsonPath(p: Plan): Promise<void> {
  if (!p.json) return;
  for (const model of [p.reference, p.candidate]) {
    if (await sameFile(p.json, model)) throw new QtkError('E_OPTION', `--json '${p.json}' is the model '${model}'; refusing to overwrite it`, { option: 'json', file: p.json });
  }
  await checkWritableFile(p.json, 'json');
}

async function runCompare(args: ParsedArgs, io: CliIO): Promise<number> {
  const t0 = performance.now();
  const p = plan(args);
  await checkJsonPath(p);
  const reference = await loadModelFile(p.reference);
  const candidate = await loadModelFile(p.candidate);
  for (const line of swapWarnings({ file: p.reference, model: reference }, { file: p.candidate, model: candidate })) println(io.stderr, `warning: ${line}`);
  const data = await setupData(reference, p.data, DATA_FLAGS);
  for (const line of data.lines) println(io.stdout, line);
  const bar = createProgress(io.stderr, { label: 'compare', total: data.batches, unit: 'batches' });
  let report;
  try {
    report = await compareModels(reference, candidate, ortNode, data.feeds, { threads: p.threads || undefined, onBatch: (done) => bar.update(done) });
  } finally {
    bar.finish();
  }
  io.stdout.write(formatCompareReport(report, { top: p.top }));
  const seconds = (performance.now() - t0) / 1000;
  if (p.json) {
    const json = { tool: 'qtk compare', reference: p.reference, candidate: p.candidate, data: data.info, seconds, report: compareReportToJson(report) };
    await writeFileAtomic(p.json, JSON.stringify(json, null, 2) + '\n');
    println(io.stdout, `wrote ${p.json}`);
  }
  return 0;
}

/** The `compare` command. */
export const compareCommand: Command = { ...spec, run: runCompare };
