/**
 * Node.js entry point of @qtk/core: model files on disk, with external data read from
 * the model's folder (and nowhere else, symbolic links followed) and outputs written
 * atomically under a lock (temporary file, then rename; see docs/untrusted-input.md).
 */
import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import { QtkError } from './errors/QtkError.js';
import { decodeModel } from './onnx/decode.js';
import { encodeModel, type EncodeOptions, PROTOBUF_LIMIT } from './onnx/encode.js';
import type { Model } from './ir/graph.js';
import { externalDataReader } from './externalDataFile.js';
import { kindOf } from './fileKind.js';
import { writeReplacing } from './atomicWrite.js';
import { lockOutput, type OutputLock } from './outputLock.js';

export * from './index.js';
export { externalDataReader } from './externalDataFile.js';
export { writeFileAtomic, sweepStaleTemps, type WriteData, type WriteOptions } from './atomicWrite.js';
export { lockOutput, lockFileOf, type OutputLock } from './outputLock.js';
export { describeWriteError } from './writeErrors.js';

/**
 * Throws E_IO unless `file` is a regular file (symbolic links followed): a missing file,
 * a directory (naming the .onnx files in it) or a FIFO, socket or device, which reading
 * would block on. `what` names the file in messages: `model`.
 */
export async function checkRegularFile(file: string, what: string): Promise<void> {
  let s: Stats;
  try {
    s = await fs.stat(file);
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new QtkError('E_IO', missing ? `${what} '${file}' does not exist` : `cannot read ${what} '${file}': ${(e as Error).message}`, { file }, { cause: e });
  }
  if (s.isFile()) return;
  let hint = '';
  if (s.isDirectory()) {
    const onnx = (await fs.readdir(file).catch(() => [] as string[])).filter((n) => n.endsWith('.onnx')).sort();
    hint = onnx.length ? `; it holds ${onnx.slice(0, 3).map((n) => path.join(file, n)).join(', ')}${onnx.length > 3 ? ', ...' : ''}` : '; give an .onnx file';
  }
  throw new QtkError('E_IO', `${what} '${file}' is ${kindOf(s)}, not a file${hint}`, { file });
}

/**
 * Reads an ONNX model file; external data is read from files beside it. A path that is
 * not a regular file (missing, a directory, a FIFO) is E_IO, checked before opening it.
 * External data must resolve (symbolic links followed) inside the model's folder
 * (E_UNSAFE_PATH otherwise) and be a regular file holding the tensor's slice
 * (E_EXTERNAL_DATA otherwise, naming the tensor, the location and what is wrong).
 */
export async function loadModelFile(file: string): Promise<Model> {
  await checkRegularFile(file, 'model');
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (e) {
    throw new QtkError('E_IO', `cannot read model '${file}': ${(e as Error).message}`, { file }, { cause: e });
  }
  try {
    return decodeModel(bytes, { externalData: externalDataReader(file) });
  } catch (e) {
    // Name the model in the message; `where.file` keeps the external data file when there is one.
    if (e instanceof QtkError && !e.message.startsWith(`${file}: `)) throw new QtkError(e.code, `${file}: ${e.message}`, { file, ...e.where }, { cause: e });
    throw e;
  }
}

/** Options of `saveModelFile`. */
export interface SaveOptions {
  /** Write tensors to an external data file beside the model (default: only when over 2 GiB). */
  externalData?: boolean | { location?: string; sizeThreshold?: number };
  /** A lock on `file` the caller holds (from `lockOutput`); without it the save takes one for its duration. */
  lock?: OutputLock;
}

/**
 * Writes a model (and its external data file) atomically, holding the output's lock:
 * each goes to a temporary file in the same folder and is renamed into place, so a
 * failure leaves nothing partial. E_OUTPUT_BUSY while another writer holds the lock;
 * E_IO naming the cause when the write fails.
 */
export async function saveModelFile(model: Model, file: string, options: SaveOptions = {}): Promise<{ bytes: number; externalBytes: number }> {
  const enc = encodeOptions(model, file, options);
  const out = encodeModel(model, enc);
  const dir = path.dirname(path.resolve(file));
  const lock = options.lock ?? (await lockOutput(file));
  try {
    if (out.external) await writeReplacing(path.join(dir, out.external.location), out.external.bytes);
    await writeReplacing(file, out.model);
  } finally {
    if (!options.lock) await lock.release();
  }
  return { bytes: out.model.byteLength, externalBytes: out.external?.bytes.byteLength ?? 0 };
}

function encodeOptions(model: Model, file: string, options: SaveOptions): EncodeOptions {
  let ext = options.externalData;
  if (ext === undefined) {
    let total = 0;
    for (const t of model.graph.initializers.values()) if (!Array.isArray(t.data)) total += t.data.byteLength;
    ext = total > PROTOBUF_LIMIT - 64 * 1024 * 1024;
  }
  if (!ext) return {};
  const o = typeof ext === 'object' ? ext : {};
  return { externalData: { location: o.location ?? `${path.basename(file)}.data`, sizeThreshold: o.sizeThreshold } };
}
