// Output locks: a second writer of one output fails with E_OUTPUT_BUSY instead of
// silently replacing the first one's file; locks of ended processes are taken over.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockFileOf, lockOutput, saveModelFile, writeFileAtomic } from './node.js';
import { catchQtkRejection } from './test-support/expectQtkError.js';
import { createGraph, createModel } from './ir/graph.js';

const root = mkdtempSync(join(tmpdir(), 'qtk-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => { const d = join(root, `case${n++}`); mkdirSync(d); return d; };
const model = (name: string) => createModel(createGraph(name), 17);

describe('lockOutput', () => {
  it('two concurrent saves of one output: one writes, the other fails with E_OUTPUT_BUSY naming the lock', async () => {
    const out = join(freshDir(), 'q.onnx');
    const results = await Promise.allSettled([saveModelFile(model('first'), out), saveModelFile(model('second'), out)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const e = await catchQtkRejection(Promise.reject((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason));
    expect(e.code).toBe('E_OUTPUT_BUSY');
    expect(e.message).toBe(`cannot write '${out}': process ${process.pid} (this one) is writing it (lock '${lockFileOf(out)}'); wait for it to finish, or remove the lock if no qtk is running`);
    expect(existsSync(lockFileOf(out))).toBe(false);
  });

  it('a lock held by another running process makes writes fail, and leaves output and lock alone', async () => {
    const dir = freshDir();
    const out = join(dir, 'q.json');
    writeFileSync(out, 'old');
    writeFileSync(lockFileOf(out), `${process.ppid} ${hostname()}\n`);
    const e = await catchQtkRejection(writeFileAtomic(out, 'new'));
    expect([e.code, e.message.startsWith(`cannot write '${out}': process ${process.ppid} is writing it`)]).toEqual(['E_OUTPUT_BUSY', true]);
    expect(readFileSync(out, 'utf8')).toBe('old');
    expect(readFileSync(lockFileOf(out), 'utf8')).toBe(`${process.ppid} ${hostname()}\n`);
  });

  it('takes over the lock of a process that has ended, and removes it when done', async () => {
    const dir = freshDir();
    const out = join(dir, 'q.json');
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(lockFileOf(out), `${dead} ${hostname()}\n`);
    await writeFileAtomic(out, 'new');
    expect(readFileSync(out, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['q.json']);
  });

  it('counts a lock from another host, or a just-created one without a PID, as held', async () => {
    const out = join(freshDir(), 'q.json');
    writeFileSync(lockFileOf(out), '1 some-other-host\n');
    expect((await catchQtkRejection(lockOutput(out))).message).toContain('process 1 on some-other-host is writing it');
    writeFileSync(lockFileOf(out), '');
    expect((await catchQtkRejection(lockOutput(out))).message).toContain('another process is writing it');
  });

  it('a held lock lets its holder write (passing it) and refuses everyone else until released', async () => {
    const out = join(freshDir(), 'q.onnx');
    const lock = await lockOutput(out);
    expect((await catchQtkRejection(saveModelFile(model('other'), out))).code).toBe('E_OUTPUT_BUSY');
    await saveModelFile(model('mine'), out, { lock });
    expect(existsSync(out)).toBe(true);
    await lock.release();
    await lock.release();
    expect(existsSync(lockFileOf(out))).toBe(false);
    await saveModelFile(model('later'), out);
  });
});
