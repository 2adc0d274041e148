/**
 * Checks on the files a command is about to write (`-o`, `--report`, `--json`), made
 * before any model is read: that an output is not an input, is not a folder, and lies in
 * a folder that exists and can be written; and the locks that keep a second command from
 * writing the same outputs meanwhile.
 */
import { promises as fs, constants as fsc } from 'node:fs';
import * as path from 'node:path';
import { QtkError } from '@qtk/core';
import { describeWriteError, lockOutput, type OutputLock } from '@qtk/core/node';

/** Resolved real path of `p`; for a path that does not exist yet, its folder's real path plus its name. */
async function realPath(p: string): Promise<string> {
  try {
    return await fs.realpath(p);
  } catch {
    try {
      return path.join(await fs.realpath(path.dirname(p)), path.basename(p));
    } catch {
      return path.resolve(p);
    }
  }
}

/** True when `a` and `b` name the same file (same real path, or same device and inode). */
export async function sameFile(a: string, b: string): Promise<boolean> {
  if ((await realPath(a)) === (await realPath(b))) return true;
  try {
    const [sa, sb] = await Promise.all([fs.stat(a), fs.stat(b)]);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/**
 * Refuses to write `file`, given by flag `--option`: E_OPTION when it is a folder, E_IO
 * when its folder is a file, does not exist or is not writable. The errors name the
 * option and file. Example: `await checkWritableFile('out/q.onnx', 'output')`.
 */
export async function checkWritableFile(file: string, option: string): Promise<void> {
  const st = await fs.stat(file).catch(() => undefined);
  if (st?.isDirectory()) throw new QtkError('E_OPTION', `--${option} '${file}' is a folder; give a file path`, { option, file });
  const dir = path.dirname(path.resolve(file));
  try {
    const ds = await fs.stat(dir);
    if (!ds.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') {
      throw new QtkError('E_IO', `cannot write --${option} '${file}': ${describeWriteError(e, file)}`, { option, file }, { cause: e });
    }
  }
  try {
    await fs.access(dir, fsc.W_OK);
  } catch {
    throw new QtkError('E_IO', `cannot write --${option} '${file}': folder '${dir}' does not exist or is not writable`, { option, file });
  }
}

/**
 * Takes the output lock of each file (see core's `lockOutput`), in order; should one be
 * busy (E_OUTPUT_BUSY), releases those already taken and rethrows. Hold them for the
 * whole command, so a second command writing the same output fails at its start.
 */
export async function lockOutputs(files: readonly string[]): Promise<OutputLock[]> {
  const locks: OutputLock[] = [];
  try {
    for (const file of files) locks.push(await lockOutput(file));
  } catch (e) {
    await releaseLocks(locks);
    throw e;
  }
  return locks;
}

/** Releases locks from `lockOutputs`. */
export async function releaseLocks(locks: readonly OutputLock[]): Promise<void> {
  for (const lock of locks) await lock.release();
}
