import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tensor, bytesOf, encodeNpy } from '@qtk/core';
import { loadInputArrays } from './calibSources.js';
import { useTempDir } from './test-support/tempDir.js';
import { catchQtkRejection } from './test-support/qtkErrors.js';
import { writeZip } from './test-support/zipWriter.js';

const tmp = useTempDir('qtk-cli-sources-');
const INPUTS = ['input_ids', 'attention_mask'];
const ids = Tensor.int64([101, 7, 102, 101, 8, 102], [2, 3]);
const mask = Tensor.int64([1, 1, 1, 1, 1, 0], [2, 3]);

/** Writes `files` (name → tensor) as .npy files into a new folder `name` and returns its path. */
async function folder(name: string, files: Record<string, Tensor>): Promise<string> {
  const dir = path.join(tmp(), name);
  await fs.mkdir(dir);
  for (const [n, t] of Object.entries(files)) await fs.writeFile(path.join(dir, n), encodeNpy(t));
  return dir;
}

const summary = (a: Awaited<ReturnType<typeof loadInputArrays>>) => a?.arrays.map((x) => [x.name, x.tensor.toNumbers(), path.basename(x.from)]);

describe('--calib NAME=FILE, repeated', () => {
  it('each value feeds the input it names, from its .npy file', async () => {
    const dir = await folder('pairs', { 'ids.npy': ids, 'mask.npy': mask });
    const a = await loadInputArrays([`input_ids=${dir}/ids.npy`, `attention_mask=${dir}/mask.npy`], INPUTS);
    expect(summary(a)).toEqual([['input_ids', ids.toNumbers(), 'ids.npy'], ['attention_mask', mask.toNumbers(), 'mask.npy']]);
    expect(a!.what).toBe('2 files');
  });

  it('one NAME=FILE value alone is per-input data too; an existing path holding = is still a path', async () => {
    const dir = await folder('one-pair', { 'ids.npy': ids, 'a=b.npy': ids });
    expect(summary(await loadInputArrays([`input_ids=${dir}/ids.npy`], INPUTS))).toEqual([['input_ids', ids.toNumbers(), 'ids.npy']]);
    expect(await loadInputArrays([path.join(dir, 'a=b.npy')], INPUTS)).toBeUndefined();
  });

  it('a repeated value that is not NAME=FILE, a name given twice and a raw file are errors naming them', async () => {
    const dir = await folder('bad-pairs', { 'ids.npy': ids });
    await fs.writeFile(path.join(dir, 'raw.bin'), bytesOf(Tensor.fromFloat32(Float32Array.of(1, 2), [2]).data));
    const plain = await catchQtkRejection(loadInputArrays([`input_ids=${dir}/ids.npy`, `${dir}/ids.npy`], INPUTS));
    expect([plain.code, plain.message]).toEqual(['E_OPTION', `--calib is given 2 times; repeat it only as NAME=FILE, one per model input ('${dir}/ids.npy' is not NAME=FILE, or no such file)`]);
    const twice = await catchQtkRejection(loadInputArrays([`input_ids=${dir}/ids.npy`, `input_ids=${dir}/ids.npy`], INPUTS));
    expect(twice.message).toBe('--calib input_ids=... is given twice; give one array per input');
    const raw = await catchQtkRejection(loadInputArrays([`input_ids=${dir}/raw.bin`], INPUTS));
    expect(raw.message).toBe(`'${dir}/raw.bin' is not a .npy file; calibration data for one input of several must be .npy (it carries its shape)`);
  });
});

describe('--calib data.npz', () => {
  it('reads one array per entry (stored or deflated), each named by its entry', async () => {
    const f = path.join(tmp(), 'calib.npz');
    await fs.writeFile(f, writeZip([{ name: 'input_ids.npy', data: encodeNpy(ids), zip64Local: true }, { name: 'attention_mask.npy', data: encodeNpy(mask), deflate: true }]));
    const a = await loadInputArrays([f], INPUTS);
    expect(a?.arrays.map((x) => [x.name, x.tensor.toNumbers(), x.from])).toEqual([
      ['input_ids', ids.toNumbers(), `${f}:input_ids.npy`],
      ['attention_mask', mask.toNumbers(), `${f}:attention_mask.npy`],
    ]);
    expect([a!.files, a!.what]).toEqual([[f], f]);
  });
});

describe('--calib folder/: the folder rule', () => {
  it('.npy files all named after model inputs feed those inputs', async () => {
    const dir = await folder('by-name', { 'input_ids.npy': ids, 'attention_mask.npy': mask });
    const a = await loadInputArrays([dir], INPUTS);
    // sorted by file name
    expect(summary(a)).toEqual([['attention_mask', mask.toNumbers(), 'attention_mask.npy'], ['input_ids', ids.toNumbers(), 'input_ids.npy']]);
    expect(a!.what).toBe(`folder ${dir}`);
  });

  it('.npy files none of which is named after an input are samples of one input, as before', async () => {
    expect(await loadInputArrays([await folder('samples', { '0.npy': ids, '1.npy': ids })], INPUTS)).toBeUndefined();
  });

  it('a folder mixing the two is E_CALIB_DATA naming both kinds', async () => {
    const dir = await folder('mixed', { 'input_ids.npy': ids, '0.npy': ids });
    const e = await catchQtkRejection(loadInputArrays([dir], INPUTS));
    expect([e.code, e.message]).toEqual(['E_CALIB_DATA', `folder '${dir}' mixes .npy files named after model inputs (input_ids.npy) with others (0.npy); name every file after an input (one array per input) or none (samples of one input)`]);
  });

  it('a single .npy file is data for one input', async () => {
    const dir = await folder('single', { 'input_ids.npy': ids });
    expect(await loadInputArrays([path.join(dir, 'input_ids.npy')], INPUTS)).toBeUndefined();
  });
});
