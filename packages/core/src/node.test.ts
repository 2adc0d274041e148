import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModelFile } from './node.js';
import { catchQtkRejection } from './test-support/expectQtkError.js';

describe('loadModelFile refuses paths that are not model files, before opening them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qtk-load-'));

  it('a missing file is E_IO saying it does not exist', async () => {
    const e = await catchQtkRejection(loadModelFile(join(dir, 'missing.onnx')));
    expect([e.code, e.message, e.where.file]).toEqual(['E_IO', `model '${join(dir, 'missing.onnx')}' does not exist`, join(dir, 'missing.onnx')]);
  });

  it('a directory is E_IO naming the .onnx files in it (not a raw EISDIR)', async () => {
    const models = join(dir, 'models');
    mkdirSync(models);
    const empty = await catchQtkRejection(loadModelFile(models));
    expect([empty.code, empty.message]).toEqual(['E_IO', `model '${models}' is a directory, not a file; give an .onnx file`]);
    writeFileSync(join(models, 'b.onnx'), '');
    writeFileSync(join(models, 'a.onnx'), '');
    writeFileSync(join(models, 'notes.txt'), '');
    const e = await catchQtkRejection(loadModelFile(models));
    expect(e.message).toBe(`model '${models}' is a directory, not a file; it holds ${join(models, 'a.onnx')}, ${join(models, 'b.onnx')}`);
  });

  it.skipIf(process.platform === 'win32')('a FIFO is E_IO without blocking on a read', async () => {
    const fifo = join(dir, 'pipe.onnx');
    execFileSync('mkfifo', [fifo]);
    const e = await catchQtkRejection(loadModelFile(fifo));
    expect([e.code, e.message]).toEqual(['E_IO', `model '${fifo}' is a FIFO (named pipe), not a file`]);
  });
});
