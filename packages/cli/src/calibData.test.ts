import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Tensor, batchSamples, bytesOf, encodeNpy } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { loadCalibData } from './calibData.js';
import { runCli } from './test-support/cliRun.js';
import { useTempDir } from './test-support/tempDir.js';
import { catchQtkRejection, expectQtkError } from './test-support/qtkErrors.js';

const DIGITS_MODEL = fileURLToPath(new URL('../../../fixtures/digits/digits_cnn.onnx', import.meta.url));

/** float32 [dims] whose element i is `offset + i`. */
const iota = (dims: number[], offset = 0) =>
  Tensor.fromFloat32(Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => offset + i), dims);

const tmp = useTempDir('qtk-cli-calib-');

describe('loadCalibData', () => {
  it('reads one .npy file', async () => {
    const f = path.join(tmp(), 'one.npy');
    await fs.writeFile(f, encodeNpy(iota([3, 1, 8, 8])));
    const d = await loadCalibData(f);
    expect(d.tensor.dims).toEqual([3, 1, 8, 8]);
    expect(d.files).toEqual([f]);
  });

  it('concatenates a folder of .npy files along axis 0, sorted by name with numbers compared as numbers', async () => {
    const dir = path.join(tmp(), 'parts');
    await fs.mkdir(dir);
    // written out of order; 10.npy must come after 2.npy
    await fs.writeFile(path.join(dir, '10.npy'), encodeNpy(iota([1, 2], 100)));
    await fs.writeFile(path.join(dir, '2.npy'), encodeNpy(iota([2, 2], 20)));
    await fs.writeFile(path.join(dir, '1.npy'), encodeNpy(iota([1, 2], 10)));
    await fs.writeFile(path.join(dir, 'notes.txt'), 'ignored');
    const d = await loadCalibData(dir);
    expect(d.files.map((f) => path.basename(f))).toEqual(['1.npy', '2.npy', '10.npy']);
    expect(d.tensor.dims).toEqual([4, 2]);
    expect(d.tensor.toNumbers()).toEqual([10, 11, 20, 21, 22, 23, 100, 101]);
  });

  it('a folder whose files disagree in per-sample shape names both files', async () => {
    const dir = path.join(tmp(), 'mixed');
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'a.npy'), encodeNpy(iota([1, 2])));
    await fs.writeFile(path.join(dir, 'b.npy'), encodeNpy(iota([1, 3])));
    const e = await catchQtkRejection(loadCalibData(dir));
    expect(e.code).toBe('E_CALIB_DATA');
    expect(e.message).toContain(`${path.join(dir, 'b.npy')} is [1,3] float32, but ${path.join(dir, 'a.npy')} is [1,2] float32`);
  });

  it('reads a raw float32 file with a shape; without one it says to give --calib-shape', async () => {
    const f = path.join(tmp(), 'x.bin');
    await fs.writeFile(f, bytesOf(iota([4, 1, 8, 8]).data));
    expect((await loadCalibData(f, { shape: [-1, 1, 8, 8] })).tensor.dims).toEqual([4, 1, 8, 8]);
    const e = await catchQtkRejection(loadCalibData(f));
    expect(e.code).toBe('E_CALIB_DATA');
    expect(e.message).toContain('give its shape with --calib-shape');
  });

  it('a .npy file with a broken header says what is wrong instead of treating it as raw', async () => {
    const f = path.join(tmp(), 'broken.npy');
    await fs.writeFile(f, new Uint8Array(100));
    const e = await catchQtkRejection(loadCalibData(f, { shape: [25] }));
    expect(e.message).toContain('bad magic at byte 0');
  });

  it('--calib-shape with a .npy file is refused (the file carries its shape)', async () => {
    const f = path.join(tmp(), 'one.npy');
    const e = await catchQtkRejection(loadCalibData(f, { shape: [3, 1, 8, 8] }));
    expect(e.code).toBe('E_OPTION');
  });

  it('a missing path is E_IO naming it', async () => {
    const e = await catchQtkRejection(loadCalibData(path.join(tmp(), 'nope.npy')));
    expect(e.code).toBe('E_IO');
    expect(e.message).toContain('nope.npy');
  });
});

describe('calibration data that does not fit the model input', () => {
  it('a .npy whose per-sample shape does not fit gives E_CALIB_DATA naming the data and the input', async () => {
    const f = path.join(tmp(), 'wrong.npy');
    await fs.writeFile(f, encodeNpy(iota([64, 1, 8, 9])));
    const model = await loadModelFile(DIGITS_MODEL);
    const data = await loadCalibData(f);
    const err = expectQtkError(() => batchSamples(data.tensor, model.graph.inputs[0]!), 'E_CALIB_DATA');
    expect(err.message).toBe(
      "calibration data [64,1,8,9] float32 vs model input 'input' [N,1,8,8] float32: per-sample shape [1,8,9] does not match [1,8,8] (axis 3)",
    );
  });

  it('qtk quantize with that file exits 1 with the same message and writes no output', async () => {
    const f = path.join(tmp(), 'wrong.npy');
    const out = path.join(tmp(), 'out.onnx');
    const { code, stderr } = await runCli('quantize', DIGITS_MODEL, '-o', out, '--calib', f);
    expect(code).toBe(1);
    expect(stderr).toContain("qtk: calibration data [64,1,8,9] float32 vs model input 'input' [N,1,8,8] float32");
    await expect(fs.stat(out)).rejects.toThrow();
  });
});
