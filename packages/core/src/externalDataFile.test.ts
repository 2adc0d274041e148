// External data of models from untrusted sources, read through loadModelFile: only regular
// files inside the model's real folder, only the declared slice, typed errors otherwise.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { loadModelFile } from './node.js';
import { catchQtkRejection } from './test-support/expectQtkError.js';
import { WEIGHT_BYTES, writeModelWithExternalData, type ExternalEntries } from './test-support/externalDataModel.js';

const root = mkdtempSync(join(tmpdir(), 'qtk-extdata-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A fresh `root/caseN/model` folder beside a `root/caseN/outside/secret` file. */
function caseDir(): { dir: string; secret: string } {
  const base = join(root, `case${n++}`);
  const dir = join(base, 'model');
  mkdirSync(join(base, 'outside'), { recursive: true });
  mkdirSync(dir);
  const secret = join(base, 'outside', 'secret');
  writeFileSync(secret, new Uint8Array(Float32Array.from({ length: 12 }, () => 42).buffer));
  return { dir, secret };
}

const weights = (m: Awaited<ReturnType<typeof loadModelFile>>) => [...m.graph.initializers.get('w')!.toFloat32()];
const expected = [...new Float32Array(WEIGHT_BYTES.buffer)];

describe('loadModelFile reads external data only from regular files inside the model folder', () => {
  it('reads a weight from w.bin beside the model', async () => {
    const { dir } = caseDir();
    expect(weights(await loadModelFile(writeModelWithExternalData(dir)))).toEqual(expected);
  });

  it.skipIf(process.platform === 'win32')('refuses w.bin that is a symlink to ../outside/secret with E_UNSAFE_PATH naming the tensor and where it leads', async () => {
    const { dir, secret } = caseDir();
    const model = writeModelWithExternalData(dir, { location: 'w.bin' }, false);
    symlinkSync('../outside/secret', join(dir, 'w.bin'));
    const e = await catchQtkRejection(loadModelFile(model));
    expect(e.code).toBe('E_UNSAFE_PATH');
    expect(e.message).toBe(`${model}: tensor 'w': external data 'w.bin' resolves to '${secret}', outside the model folder '${dir}'; refused`);
    expect(e.where.tensor).toBe('w');
  });

  it.skipIf(process.platform === 'win32')('follows a symlink that stays inside the model folder, and a model folder reached through a symlink', async () => {
    const { dir } = caseDir();
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'real.bin'), WEIGHT_BYTES);
    const model = writeModelWithExternalData(dir, { location: 'w.bin' }, false);
    symlinkSync('data/real.bin', join(dir, 'w.bin'));
    expect(weights(await loadModelFile(model))).toEqual(expected);
    const linkedDir = join(dir, '..', 'linked');
    symlinkSync(dir, linkedDir);
    expect(weights(await loadModelFile(join(linkedDir, 'model.onnx')))).toEqual(expected);
  });

  it.skipIf(process.platform === 'win32')('refuses external data that is a FIFO within seconds, without opening it (E_EXTERNAL_DATA)', { timeout: 5000 }, async () => {
    const { dir } = caseDir();
    const model = writeModelWithExternalData(dir, { location: 'w.bin' }, false);
    try {
      execFileSync('mkfifo', [join(dir, 'w.bin')]);
    } catch {
      return; // no mkfifo here: nothing to check
    }
    const e = await catchQtkRejection(loadModelFile(model));
    expect([e.code, e.message]).toEqual(['E_EXTERNAL_DATA', `${model}: tensor 'w': external data 'w.bin' is a FIFO (named pipe), not a regular file`]);
  });

  it('refuses a location that is a folder with E_EXTERNAL_DATA (not a raw EISDIR)', async () => {
    const { dir } = caseDir();
    mkdirSync(join(dir, 'weights'));
    const model = writeModelWithExternalData(dir, { location: 'weights' }, false);
    const e = await catchQtkRejection(loadModelFile(model));
    expect([e.code, e.message]).toEqual(['E_EXTERNAL_DATA', `${model}: tensor 'w': external data 'weights' is a directory, not a regular file`]);
  });

  it('refuses a missing data file with E_EXTERNAL_DATA saying it does not exist', async () => {
    const { dir } = caseDir();
    const model = writeModelWithExternalData(dir, { location: 'w.bin' }, false);
    const e = await catchQtkRejection(loadModelFile(model));
    expect([e.code, e.message]).toEqual(['E_EXTERNAL_DATA', `${model}: tensor 'w': external data 'w.bin' does not exist`]);
  });

  it.each<[string, ExternalEntries, string]>([
    ['length 1.5', { location: 'w.bin', length: '1.5' }, "external data 'w.bin' has length '1.5', not a non-negative integer"],
    ['length -4', { location: 'w.bin', length: '-4' }, "external data 'w.bin' has length '-4', not a non-negative integer"],
    ['offset 0.5', { location: 'w.bin', offset: '0.5' }, "external data 'w.bin' has offset '0.5', not a non-negative integer"],
    ['length 1e30', { location: 'w.bin', length: '1e30' }, "external data 'w.bin' has length '1e30', not a non-negative integer"],
    ['a 21-digit length', { location: 'w.bin', length: '999999999999999999999' }, "external data 'w.bin' has length '999999999999999999999', too large"],
    ['a length other than the tensor size', { location: 'w.bin', length: '40' }, "tensor 'w' of 12 float32 needs 48 bytes; external data 'w.bin' declares length 40"],
    ['an offset past the end', { location: 'w.bin', offset: '4096' }, "external data 'w.bin' has 48 bytes; the tensor needs 48 at offset 4096, past its end"],
    ['a slice running past the end', { location: 'w.bin', offset: '4', length: '48' }, "external data 'w.bin' has 48 bytes; the tensor needs 48 at offset 4, past its end"],
  ])('refuses %s with E_EXTERNAL_DATA naming the tensor, location and entry', { timeout: 5000 }, async (_, entries, message) => {
    const { dir } = caseDir();
    const model = writeModelWithExternalData(dir, entries);
    const e = await catchQtkRejection(loadModelFile(model));
    expect(e.code).toBe('E_EXTERNAL_DATA');
    expect(e.message).toBe(`${model}: ${message.startsWith('tensor') ? '' : "tensor 'w': "}${message}`);
    expect(e.where.tensor).toBe('w');
  });

  it('leaves the model folder as it was after refusing it', async () => {
    const { dir } = caseDir();
    const model = writeModelWithExternalData(dir, { location: 'w.bin', length: '1.5' });
    const before = readFileSync(model);
    await catchQtkRejection(loadModelFile(model));
    expect(readFileSync(model).equals(before)).toBe(true);
    expect(readFileSync(join(dir, 'w.bin')).equals(Buffer.from(WEIGHT_BYTES))).toBe(true);
  });
});
