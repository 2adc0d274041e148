/**
 * Atomic writes of output files: the bytes go to a temporary sibling `.NAME.PID.STAMP.tmp`,
 * which is renamed into place, so readers see the old file or the new one, never a part.
 * The temporary file is removed on failure and should the process be stopped by SIGINT or
 * SIGTERM; one left by a killed process (its PID no longer running) is removed by the
 * next write of the same output.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { QtkError } from './errors/QtkError.js';
import { lockOutput, type OutputLock } from './outputLock.js';
import { processAlive } from './processAlive.js';
import { forgetOnSignal, removeOnSignal } from './signalCleanup.js';
import { describeWriteError } from './writeErrors.js';

/** What `writeFileAtomic` writes: bytes, text (UTF-8), or chunks as they come. */
export type WriteData = Uint8Array | string | AsyncIterable<Uint8Array>;

/** Options of `writeFileAtomic`. */
export interface WriteOptions {
  /** A lock on the output the caller holds (from `lockOutput`); without it the write takes one for its duration. */
  lock?: OutputLock;
}

/**
 * Writes `data` to `file` through a temporary sibling and a rename, holding the output's
 * lock (see `lockOutput`). Throws E_OUTPUT_BUSY while another writer holds it, and E_IO
 * naming the file and the cause (`'x' is a file, not a folder`) when writing fails; the
 * temporary file is gone then, and a cleanup failure never replaces the cause.
 */
export async function writeFileAtomic(file: string, data: WriteData, options: WriteOptions = {}): Promise<void> {
  const lock = options.lock ?? (await lockOutput(file));
  try {
    await writeReplacing(file, data);
  } finally {
    if (!options.lock) await lock.release();
  }
}

/** The temporary-file-and-rename write, without taking a lock (the caller holds one). */
export async function writeReplacing(file: string, data: WriteData): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  const base = path.basename(file);
  await sweepStaleTemps(dir, base);
  const tmp = path.join(dir, `.${base}.${process.pid}.${Date.now().toString(36)}${randomBytes(4).toString('hex')}.tmp`);
  removeOnSignal(tmp);
  try {
    // 'wx': never write through a file or link someone placed under the temporary name.
    const h = await fs.open(tmp, 'wx');
    try {
      if (typeof data === 'string' || data instanceof Uint8Array) await h.writeFile(data);
      else for await (const chunk of data) await h.write(chunk);
    } finally {
      await h.close();
    }
    await fs.rename(tmp, file);
    forgetOnSignal(tmp);
  } catch (e) {
    forgetOnSignal(tmp);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw new QtkError('E_IO', `cannot write '${file}': ${describeWriteError(e, file)}`, { file }, { cause: e });
  }
}

/** Names of temporary files of output `base`, with the writer's PID as group 1. */
function tempPattern(base: string): RegExp {
  return new RegExp(`^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.[0-9a-z]+\\.tmp$`);
}

/**
 * Removes temporary files of output `base` in `dir` left by processes no longer running
 * (killed mid-write). Ones of running processes, this one included, stay. Best effort:
 * a folder that cannot be listed is left as it is (the write reports its own error).
 */
export async function sweepStaleTemps(dir: string, base: string): Promise<string[]> {
  const pattern = tempPattern(base);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(pattern.exec(name)?.[1] ?? NaN);
    if (Number.isNaN(pid) || pid === process.pid || processAlive(pid)) continue;
    const stale = path.join(dir, name);
    if (await fs.rm(stale, { force: true }).then(() => true, () => false)) removed.push(stale);
  }
  return removed;
}
