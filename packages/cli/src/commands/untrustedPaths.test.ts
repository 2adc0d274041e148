// qtk on models and output paths from untrusted sources: external data that leads outside
// the model folder, blocks, or lies about its size is refused with a typed one-line
// message; outputs are never half-written, and two runs never write one output at once.
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lockFileOf } from '@qtk/core/node';
import { useTempDir } from '../test-support/tempDir.js';
import { runCli } from '../test-support/cliRun.js';
import { writeModelWithExternalData } from '../../../core/src/test-support/externalDataModel.js';

const MODEL = fileURLToPath(new URL('../../../../fixtures/digits/digits_cnn.onnx', import.meta.url));
const tmp = useTempDir('qtk-cli-untrusted-');
let n = 0;

/** A fresh `caseN/model` folder beside `caseN/outside/secret`; returns both. */
function caseDir(): { dir: string; base: string } {
  const base = path.join(tmp(), `case${n++}`);
  const dir = path.join(base, 'model');
  mkdirSync(path.join(base, 'outside'), { recursive: true });
  mkdirSync(dir);
  writeFileSync(path.join(base, 'outside', 'secret'), new Uint8Array(Float32Array.from({ length: 12 }, () => 42).buffer));
  return { dir, base };
}

describe('qtk on external data from untrusted models', () => {
  it.skipIf(process.platform === 'win32')('quantize refuses w.bin linked to ../outside/secret, naming tensor and target, and writes no output', async () => {
    const { dir, base } = caseDir();
    const model = writeModelWithExternalData(dir, { location: 'w.bin' }, false);
    symlinkSync('../outside/secret', path.join(dir, 'w.bin'));
    const out = path.join(base, 'q.onnx');
    const r = await runCli('quantize', model, '-o', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`qtk: ${model}: tensor 'w': external data 'w.bin' resolves to '${path.join(base, 'outside', 'secret')}', outside the model folder '${dir}'; refused\n`);
    await expect(fs.stat(out)).rejects.toThrow();
    expect((await fs.readdir(base)).sort()).toEqual(['model', 'outside']);
  });

  it.skipIf(process.platform === 'win32')('inspect refuses external data that is a FIFO within seconds', { timeout: 10_000 }, async () => {
    const { dir } = caseDir();
    const model = writeModelWithExternalData(dir, { location: 'w.bin' }, false);
    try {
      execFileSync('mkfifo', [path.join(dir, 'w.bin')]);
    } catch {
      return; // no mkfifo here: nothing to check
    }
    const r = await runCli('inspect', model);
    expect([r.code, r.stderr]).toEqual([1, `qtk: ${model}: tensor 'w': external data 'w.bin' is a FIFO (named pipe), not a regular file\n`]);
  });

  it.each([['1.5', 'length'], ['-4', 'length'], ['0.5', 'offset']])('quantize refuses %s as the %s with a typed message and no output', { timeout: 10_000 }, async (value, key) => {
    const { dir, base } = caseDir();
    const model = writeModelWithExternalData(dir, { location: 'w.bin', [key]: value });
    const out = path.join(base, 'q.onnx');
    const r = await runCli('quantize', model, '-o', out);
    expect([r.code, r.stderr]).toEqual([1, `qtk: ${model}: tensor 'w': external data 'w.bin' has ${key} '${value}', not a non-negative integer\n`]);
    await expect(fs.stat(out)).rejects.toThrow();
  });
});

describe('qtk quantize outputs', () => {
  it("-o FILE/x.onnx where FILE is a file says FILE is not a folder (no 'unexpected' error)", async () => {
    const file = path.join(tmp(), 'notes.txt');
    writeFileSync(file, 'keep');
    const r = await runCli('quantize', MODEL, '-o', path.join(file, 'x.onnx'));
    expect([r.code, r.stderr]).toEqual([1, `qtk: cannot write --output '${path.join(file, 'x.onnx')}': '${file}' is a file, not a folder\n`]);
  });

  it('two runs writing one output: one writes it, the other fails with E_OUTPUT_BUSY at its start', async () => {
    const out = path.join(tmp(), 'twice.onnx');
    const runs = await Promise.all([runCli('quantize', MODEL, '-o', out), runCli('quantize', MODEL, '-o', out)]);
    expect(runs.map((r) => r.code).sort()).toEqual([0, 1]);
    const busy = runs.find((r) => r.code === 1)!;
    expect(busy.stderr).toBe(`qtk: cannot write '${out}': process ${process.pid} (this one) is writing it (lock '${lockFileOf(out)}'); wait for it to finish, or remove the lock if no qtk is running\n`);
    expect(busy.stdout).toBe('');
    expect((await fs.readdir(tmp())).filter((f) => f.startsWith('.twice.onnx'))).toEqual([]);
  });

  it('a lock left by a killed run (its PID ended) is taken over, with its temporary files', async () => {
    const dir = path.join(tmp(), 'killed');
    mkdirSync(dir);
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const out = path.join(dir, 'q.onnx');
    writeFileSync(lockFileOf(out), `${dead} ${hostname()}\n`);
    writeFileSync(path.join(dir, `.q.onnx.${dead}.1733600000000.tmp`), 'partial');
    const r = await runCli('quantize', MODEL, '-o', out);
    expect(r.code).toBe(0);
    expect(await fs.readdir(dir)).toEqual(['q.onnx']);
  });
});
