/**
 * Exclusive locks on output files, so that two writers of one output (two `qtk quantize
 * -o same.onnx`) do not silently overwrite each other: the lock is a file `.NAME.lock`
 * beside the output, created with O_EXCL and holding the writer's process id and host.
 * A lock whose process has ended on this host is stale and taken over.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { QtkError } from './errors/QtkError.js';
import { processAlive } from './processAlive.js';
import { forgetOnSignal, removeOnSignal } from './signalCleanup.js';
import { describeWriteError } from './writeErrors.js';

/** A held lock on an output file; `release()` removes it. */
export interface OutputLock {
  /** The output file the lock guards (as given). */
  readonly file: string;
  /** The lock file beside it. */
  readonly lockFile: string;
  /** Removes the lock file; calling it again does nothing. */
  release(): Promise<void>;
}

/** Path of the lock file of output `file`: `dir/.NAME.lock`. */
export function lockFileOf(file: string): string {
  return path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.lock`);
}

/** A lock younger than this with no process id yet is being written, not stale. */
const FRESH_MS = 10_000;

/**
 * Takes the lock on output `file`. Throws E_OUTPUT_BUSY, naming the other writer's process
 * id and the lock file, while another live process (or this one) holds it; E_IO when the
 * lock cannot be created (the folder is missing or read-only). The lock is removed on
 * `release()` and should the process be stopped by SIGINT or SIGTERM.
 * Example: `const lock = await lockOutput('q.onnx'); try { ... } finally { await lock.release(); }`.
 */
export async function lockOutput(file: string): Promise<OutputLock> {
  const lockFile = lockFileOf(file);
  const me = `${process.pid} ${os.hostname()}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      const h = await fs.open(lockFile, 'wx');
      removeOnSignal(lockFile);
      try {
        await h.writeFile(me);
      } finally {
        await h.close();
      }
      let released = false;
      return {
        file, lockFile,
        async release() {
          if (released) return;
          released = true;
          forgetOnSignal(lockFile);
          await fs.rm(lockFile, { force: true }).catch(() => undefined);
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new QtkError('E_IO', `cannot write '${file}': ${describeWriteError(e, lockFile)}`, { file }, { cause: e });
      }
    }
    const holder = await readHolder(lockFile);
    if (holder.live || attempt >= 2) {
      const who = holder.pid ? `process ${holder.pid}${holder.host && holder.host !== os.hostname() ? ` on ${holder.host}` : ''}${holder.pid === process.pid ? ' (this one)' : ''}` : 'another process';
      throw new QtkError('E_OUTPUT_BUSY', `cannot write '${file}': ${who} is writing it (lock '${lockFile}'); wait for it to finish, or remove the lock if no qtk is running`, { file });
    }
    // Stale: its process has ended. Remove it and try again with O_EXCL. Of two processes
    // taking over one stale lock at the same moment, a narrow window remains in which the
    // slower one removes the lock the faster one has just created.
    await fs.rm(lockFile, { force: true }).catch(() => undefined);
  }
}

/** Who holds `lockFile`, and whether that holder is still running. */
async function readHolder(lockFile: string): Promise<{ pid?: number; host?: string; live: boolean }> {
  let text: string;
  let mtime: number;
  try {
    [text, mtime] = await Promise.all([fs.readFile(lockFile, 'utf8'), fs.stat(lockFile).then((s) => s.mtimeMs)]);
  } catch {
    return { live: false }; // removed meanwhile
  }
  const [pidText, host] = text.trim().split(/\s+/);
  const pid = /^\d+$/.test(pidText ?? '') ? Number(pidText) : undefined;
  if (pid === undefined) return { live: Date.now() - mtime < FRESH_MS };
  // A lock from another host cannot be checked from here: count it as held.
  if (host && host !== os.hostname()) return { pid, host, live: true };
  return { pid, host, live: processAlive(pid) };
}
