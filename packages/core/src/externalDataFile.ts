/**
 * Reading a model's external data from disk, for models from untrusted sources: the data
 * file's real path (symbolic links followed) must stay inside the model's real folder, it
 * must be a regular file (checked before it is opened, so a FIFO never blocks a read), and
 * the slice must lie within it. Node only; the browser-safe decoder calls this through its
 * `externalData` resolver.
 */
import { closeSync, constants as fsc, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import { QtkError } from './errors/QtkError.js';
import type { ExternalDataResolver } from './onnx/decode.js';
import { kindOf } from './fileKind.js';

/**
 * A resolver reading external data beside `modelFile`. Errors: E_UNSAFE_PATH when the
 * data file's real path leaves the model's folder (through a symbolic link, say),
 * E_EXTERNAL_DATA when it is missing, not a regular file, or shorter than the slice.
 * Example: `decodeModel(bytes, { externalData: externalDataReader('m/model.onnx') })`.
 */
export function externalDataReader(modelFile: string): ExternalDataResolver {
  const dir = path.dirname(path.resolve(modelFile));
  let realDir: string | undefined;
  return (location, offset, length) => {
    realDir ??= realpathSync(dir);
    const file = resolveInside(realDir, location);
    return readRange(file, location, offset, length);
  };
}

/** The real path of `location` under `realDir`; refused unless it stays inside `realDir`. */
function resolveInside(realDir: string, location: string): string {
  let real: string;
  try {
    real = realpathSync(path.resolve(realDir, location));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'ELOOP' ? 'is a loop of symbolic links' : `cannot be resolved (${(e as Error).message})`;
    throw new QtkError('E_EXTERNAL_DATA', `external data '${location}' ${why}`, { file: path.resolve(realDir, location) }, { cause: e });
  }
  const rel = path.relative(realDir, real);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    throw new QtkError('E_UNSAFE_PATH', `external data '${location}' resolves to '${real}', outside the model folder '${realDir}'; refused`, { file: real });
  }
  return real;
}

/** Reads exactly `length` bytes at `offset` of the regular file `file`. */
function readRange(file: string, location: string, offset: number, length: number): Uint8Array {
  const where = { file, offset };
  const before = statSync(file);
  if (!before.isFile()) throw new QtkError('E_EXTERNAL_DATA', `external data '${location}' is ${kindOf(before)}, not a regular file`, where);
  checkRange(before, location, offset, length, where);
  let fd: number;
  try {
    // O_NONBLOCK: should the file be swapped for a FIFO after the stat, opening it does not wait for a writer.
    fd = openSync(file, fsc.O_RDONLY | (fsc.O_NOFOLLOW ?? 0) | (fsc.O_NONBLOCK ?? 0));
  } catch (e) {
    throw new QtkError('E_EXTERNAL_DATA', `cannot open external data '${location}': ${(e as Error).message}`, where, { cause: e });
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile() || opened.ino !== before.ino || opened.dev !== before.dev) {
      throw new QtkError('E_EXTERNAL_DATA', `external data '${location}' changed while it was opened; refused`, where);
    }
    checkRange(opened, location, offset, length, where);
    const out = new Uint8Array(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, out, got, length - got, offset + got);
      if (n <= 0) throw new QtkError('E_EXTERNAL_DATA', `external data '${location}' ended after ${offset + got} bytes while reading ${length} at offset ${offset}`, where);
      got += n;
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

function checkRange(s: Stats, location: string, offset: number, length: number, where: { file: string; offset: number }): void {
  if (offset + length > s.size) {
    throw new QtkError('E_EXTERNAL_DATA', `external data '${location}' has ${s.size} bytes; the tensor needs ${length} at offset ${offset}, past its end`, where);
  }
}
