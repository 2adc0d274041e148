/**
 * Calibration data for several model inputs: which `--calib` values name one array per
 * input, and reading those arrays. Three forms feed inputs by name:
 *
 * - `--calib NAME=FILE`, repeated, one per input (FILE a .npy file or a folder of .npy
 *   files); a value is NAME=FILE when it holds `=` and is not an existing path;
 * - `--calib data.npz`, a NumPy archive whose `NAME.npy` entries are the arrays;
 * - `--calib folder/` whose .npy files are all named after model inputs
 *   (`input_ids.npy`, `attention_mask.npy`). A folder where no .npy file is named after
 *   an input holds samples of one input, as before; one that mixes the two is an error.
 *
 * Matching the arrays to the model (unknown names, missing inputs) is left to the caller.
 *
 * Example: `--calib input_ids=ids.npy --calib attention_mask=mask.npy` gives two arrays,
 * `input_ids` from ids.npy and `attention_mask` from mask.npy.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { QtkError, type Tensor } from '@qtk/core';
import { loadCalibData, npyFilesIn, readCalibBytes } from './calibData.js';
import { parseNpz } from './npzArchive.js';

/** One array and the input it is for. */
export interface InputArray {
  /** Model input name. */
  name: string;
  tensor: Tensor;
  /** Where it came from: a file, or `archive.npz:NAME.npy`. */
  from: string;
}

/** Arrays by input name, and the files they were read from. */
export interface InputArrays {
  arrays: InputArray[];
  files: string[];
  /** The data as the summary names it: `calib.npz`, `folder calib/`, `2 files`. */
  what: string;
}

const exists = (p: string) => fs.stat(p).then((s) => s, () => undefined);

/**
 * The arrays `sources` (the `--calib` values) give per model input, or undefined when
 * they are one input's samples (a single .npy, raw, image file or folder of those).
 * `inputNames` are the model's input names, which decide what a folder holds;
 * `maxTensorBytes` bounds each array (see `parseNpy`).
 */
export async function loadInputArrays(sources: readonly string[], inputNames: readonly string[], maxTensorBytes?: number): Promise<InputArrays | undefined> {
  const pairs = await Promise.all(sources.map(async (s) => ((await exists(s)) ? undefined : splitPair(s))));
  if (sources.length > 1 || pairs[0]) {
    const single = sources.find((_, i) => !pairs[i]);
    if (single !== undefined) {
      throw new QtkError('E_OPTION', `--calib is given ${sources.length} times; repeat it only as NAME=FILE, one per model input ('${single}' is not NAME=FILE, or no such file)`, { option: 'calib' });
    }
    const arrays: InputArray[] = [];
    for (const { name, file } of pairs as Array<{ name: string; file: string }>) {
      if (arrays.some((a) => a.name === name)) throw new QtkError('E_OPTION', `--calib ${name}=... is given twice; give one array per input`, { option: 'calib', tensor: name });
      arrays.push({ name, tensor: (await loadCalibData(file, { npyOnly: true, maxTensorBytes })).tensor, from: file });
    }
    return { arrays, files: pairs.map((p) => p!.file), what: `${arrays.length} ${arrays.length === 1 ? 'file' : 'files'}` };
  }
  const source = sources[0]!;
  const stat = await exists(source);
  if (stat?.isFile() && source.toLowerCase().endsWith('.npz')) {
    const arrays = parseNpz(await readCalibBytes(source), source, maxTensorBytes).map((a) => ({ ...a, from: `${source}:${a.name}.npy` }));
    return { arrays, files: [source], what: source };
  }
  if (stat?.isDirectory()) return loadFolderByName(source, inputNames, maxTensorBytes);
  return undefined;
}

/** `NAME=FILE` split at the first `=`; undefined when the text is not of that form. */
function splitPair(text: string): { name: string; file: string } | undefined {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1) return undefined;
  return { name: text.slice(0, at), file: text.slice(at + 1) };
}

/** A folder's .npy files as arrays by input name when all are named after inputs; undefined when none is. */
async function loadFolderByName(folder: string, inputNames: readonly string[], maxTensorBytes?: number): Promise<InputArrays | undefined> {
  const names = await npyFilesIn(folder);
  const stem = (n: string) => n.slice(0, -'.npy'.length);
  const named = names.filter((n) => inputNames.includes(stem(n)));
  if (named.length === 0) return undefined;
  if (named.length < names.length) {
    const other = names.filter((n) => !named.includes(n));
    throw new QtkError(
      'E_CALIB_DATA',
      `folder '${folder}' mixes .npy files named after model inputs (${named.join(', ')}) with others (${other.slice(0, 3).join(', ')}${other.length > 3 ? ', ...' : ''}); ` +
        'name every file after an input (one array per input) or none (samples of one input)',
      { file: folder },
    );
  }
  const arrays: InputArray[] = [];
  for (const n of named) {
    const file = path.join(folder, n);
    arrays.push({ name: stem(n), tensor: (await loadCalibData(file, { npyOnly: true, maxTensorBytes })).tensor, from: file });
  }
  return { arrays, files: arrays.map((a) => a.from), what: `folder ${folder}` };
}
