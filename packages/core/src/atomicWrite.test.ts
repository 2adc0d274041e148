// Atomic output writes: temporary files never outlive a failed, interrupted or killed
// write, and the real cause of a failure is what the error says.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { lockFileOf, saveModelFile, sweepStaleTemps, writeFileAtomic } from './node.js';
import { catchQtkRejection } from './test-support/expectQtkError.js';
import { createGraph, createModel } from './ir/graph.js';

const root = mkdtempSync(join(tmpdir(), 'qtk-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => { const d = join(root, `case${n++}`); mkdirSync(d); return d; };

/** The PID of a process that has already ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

describe('writeFileAtomic', () => {
  it('writes the file and leaves neither temporary file nor lock beside it', async () => {
    const dir = freshDir();
    await writeFileAtomic(join(dir, 'r.json'), '{}\n');
    expect(readdirSync(dir)).toEqual(['r.json']);
  });

  it("reports -o file/x.onnx as 'file' not being a folder, not as a cleanup error", async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'file'), 'keep');
    const target = join(dir, 'file', 'x.onnx');
    const e = await catchQtkRejection(writeFileAtomic(target, 'x'));
    expect([e.code, e.message]).toEqual(['E_IO', `cannot write '${target}': '${join(dir, 'file')}' is a file, not a folder`]);
    const m = await catchQtkRejection(saveModelFile(createModel(createGraph('g'), 17), target));
    expect(m.message).toBe(e.message);
    expect(readFileSync(join(dir, 'file'), 'utf8')).toBe('keep');
  });

  it('removes its temporary file when the data fails midway, and says why', async () => {
    const dir = freshDir();
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(8);
      throw new Error('source went away');
    }
    const e = await catchQtkRejection(writeFileAtomic(join(dir, 'm.onnx'), failing()));
    expect([e.code, e.message]).toEqual(['E_IO', `cannot write '${join(dir, 'm.onnx')}': source went away`]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('sweeps temporary files of the same output left by ended processes, and keeps those of running ones', async () => {
    const dir = freshDir();
    const dead = `.m.onnx.${deadPid()}.1733600000000.tmp`;
    const live = `.m.onnx.${process.ppid}.1733600000000.tmp`;
    const other = `.other.onnx.${deadPid()}.1733600000000.tmp`;
    for (const f of [dead, live, other]) writeFileSync(join(dir, f), 'partial');
    await writeFileAtomic(join(dir, 'm.onnx'), 'new');
    expect(readdirSync(dir).sort()).toEqual([live, other, 'm.onnx'].sort());
    expect(await sweepStaleTemps(dir, 'other.onnx')).toEqual([join(dir, other)]);
  });

  it.skipIf(process.platform === 'win32')('removes its temporary file and lock when SIGINT stops the process mid-write, and ends by the signal', async () => {
    const dir = freshDir();
    const out = join(dir, 'slow.onnx');
    const script = fileURLToPath(new URL('./test-support/slowWrite.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, out], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => { if (d.toString().includes('writing')) resolve(); });
      child.on('exit', () => reject(new Error('the writer ended before it started writing')));
    });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toHaveLength(1);
    expect(existsSync(lockFileOf(out))).toBe(true);
    const ended = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (code, signal) => resolve([code, signal])));
    child.kill('SIGINT');
    expect(await ended).toEqual([null, 'SIGINT']);
    expect(readdirSync(dir)).toEqual([]);
  });
});
