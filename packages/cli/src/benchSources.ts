/**
 * `qtk bench`'s model sources as `--data` and `--dim` shape them: the user's samples
 * calibrate static INT8 and carry the quality figures (in place of a catalogued model's
 * own data), and symbolic dims get their sizes from `--dim NAME=SIZE` or from the samples.
 *
 * Example: `--models enc.onnx --dim seq=128` feeds `input_ids` [batch,seq] as [1,128] at
 * batch 1 and [4,128] at batch 4.
 */
import { QtkError, type Model } from '@qtk/core';
import { dimSizesOf, symbolicDims, type ModelSource } from '@qtk/bench';
import { listOpt, type ParsedArgs } from './args.js';
import type { CalibRequest } from './calibSetup.js';
import { println, type CliIO } from './command.js';
import { DATA_FLAGS, setupData } from './dataOptions.js';

/** `--dim NAME=SIZE` (repeatable, or comma-separated) as sizes by name; E_OPTION for a malformed item or a name given twice. */
export function dimOpt(args: ParsedArgs): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of listOpt(args, 'dim') ?? []) {
    const m = /^([^=]+)=(\d+)$/.exec(item);
    if (!m || Number(m[2]) < 1) throw new QtkError('E_OPTION', `--dim '${item}' must be NAME=SIZE with a positive integer size, e.g. --dim seq=128`, { option: 'dim' });
    const name = m[1]!.trim();
    if (out[name] !== undefined) throw new QtkError('E_OPTION', `--dim sets '${name}' twice (${out[name]} and ${m[2]})`, { option: 'dim' });
    out[name] = Number(m[2]);
  }
  return out;
}

/** Checks `--dim` names against a model: E_OPTION for a name no input has; a warning for the batch dim, which --batch-sizes sets. */
function checkDimNames(model: Model, source: string, dims: Readonly<Record<string, number>>, io: CliIO): void {
  const { batch, other } = symbolicDims(model);
  for (const name of Object.keys(dims)) {
    if (batch.has(name)) {
      println(io.stderr, `warning: --dim ${name}=${dims[name]} is ignored: '${name}' is the batch dim of ${source} (a first dim), which --batch-sizes sets`);
    } else if (!other.has(name)) {
      const known = [...other].map((d) => `'${d}'`).join(', ');
      throw new QtkError('E_OPTION', `--dim ${name}: ${source} has no input dim named '${name}'; ${known ? `its symbolic dims besides the batch: ${known}` : 'it has no symbolic dim besides the batch'}`, { option: 'dim' });
    }
  }
}

/**
 * The sources with `--data` samples (one source only) and `--dim` sizes applied. A model
 * that cannot be loaded here is passed on as it is, for the benchmark to report.
 */
export async function shapeSources(sources: readonly ModelSource[], request: CalibRequest | undefined, dims: Readonly<Record<string, number>>, io: CliIO): Promise<ModelSource[]> {
  if (request && sources.length > 1) {
    throw new QtkError('E_OPTION', `--data feeds one model; give a single --models item with it (got ${sources.map((s) => s.name).join(', ')})`, { option: 'data' });
  }
  if (!request && Object.keys(dims).length === 0) return [...sources];
  const out: ModelSource[] = [];
  for (const source of sources) {
    let model: Model;
    try {
      model = await source.load();
    } catch {
      out.push(source);
      continue;
    }
    checkDimNames(model, `model '${source.name}'`, dims, io);
    if (!request) {
      out.push({ ...source, dims: { ...source.dims, ...dims } });
      continue;
    }
    const data = await setupData(model, request, DATA_FLAGS);
    for (const line of data.lines) println(io.stdout, line);
    const fromData = dimSizesOf(model, data.feeds[0] ?? {});
    for (const [name, size] of Object.entries(dims)) {
      if (fromData[name] !== undefined && fromData[name] !== size) {
        throw new QtkError('E_OPTION', `--dim ${name}=${size}, but the --data samples have ${name}=${fromData[name]}`, { option: 'dim' });
      }
    }
    const samples = { batches: data.feeds, description: data.lines[0]!.replace(/^data: /, '') };
    out.push({ ...source, dims: { ...source.dims, ...fromData, ...dims }, calibration: undefined, labelled: undefined, samples: () => samples });
  }
  return out;
}
