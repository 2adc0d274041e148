/**
 * Calibration data from disk: a .npy file, a folder of .npy files (sorted by name,
 * numbers compared as numbers, concatenated along axis 0), or a raw float32 file with
 * a shape; or image files (one image, or a folder of .png/.jpg/.jpeg files, sorted the
 * same way), which `imageCalib` decodes. Reading only; shapes are checked against the
 * model in core's `batchSamples`.
 *
 * Example: `loadCalibData('calib/', {})` over `calib/0.npy` [32,1,8,8] and
 * `calib/1.npy` [32,1,8,8] is one float32 Tensor [64,1,8,8].
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { NPY_MAGIC, QtkError, concatRows, parseNpy, parseRawFloat32, type Tensor } from '@qtk/core';
import { IMAGE_EXTENSIONS, isImageName } from './imageDecode.js';

/** Options of `loadCalibData`. */
export interface CalibDataOptions {
  /** Shape of a raw float32 file (first dim -1: inferred); required for raw files, refused for .npy. */
  shape?: number[];
  /** Refuse raw files: the data must carry its shape (.npy). */
  npyOnly?: boolean;
  /** Largest .npy array read, in bytes (default core's `DEFAULT_MAX_TENSOR_BYTES`). */
  maxTensorBytes?: number;
}

/** Calibration samples and the files they came from. */
export interface CalibData {
  tensor: Tensor;
  files: string[];
}

const byName = new Intl.Collator('en', { numeric: true }).compare;

/** The names of the .npy files in `folder`, sorted by name with numbers compared as numbers. */
export async function npyFilesIn(folder: string): Promise<string[]> {
  return (await fs.readdir(folder)).filter((n) => n.toLowerCase().endsWith('.npy')).sort(byName);
}

/**
 * The image files `target` names, sorted by name: `[target]` for one image file, the
 * images of a folder without .npy files; undefined when the data is not images. A
 * folder holding both kinds is E_CALIB_DATA.
 */
export async function findImageFiles(target: string): Promise<string[] | undefined> {
  const stat = await fs.stat(target).catch(() => undefined);
  if (!stat) return undefined;
  if (!stat.isDirectory()) return isImageName(target) ? [target] : undefined;
  const names = await fs.readdir(target);
  const images = names.filter(isImageName).sort(byName);
  if (images.length === 0) return undefined;
  const npy = names.filter((n) => n.toLowerCase().endsWith('.npy'));
  if (npy.length) {
    throw new QtkError('E_CALIB_DATA', `folder '${target}' holds both .npy files (${npy[0]}, ...) and images (${images[0]}, ...); keep one kind of calibration data in it`, { file: target });
  }
  return images.map((n) => path.join(target, n));
}

/** Reads calibration data from a file or folder; errors are E_CALIB_DATA or E_IO naming the path. */
export async function loadCalibData(target: string, options: CalibDataOptions = {}): Promise<CalibData> {
  const budget = { maxTensorBytes: options.maxTensorBytes };
  let stat;
  try {
    stat = await fs.stat(target);
  } catch (e) {
    throw new QtkError('E_IO', `cannot read calibration data '${target}': ${(e as Error).message}`, { file: target }, { cause: e });
  }
  if (stat.isDirectory()) {
    if (options.shape) throw new QtkError('E_OPTION', `--calib-shape applies to a raw float32 file, but '${target}' is a folder of .npy files`, { option: 'calib-shape' });
    const names = await npyFilesIn(target);
    if (names.length === 0) throw new QtkError('E_CALIB_DATA', `folder '${target}' holds no .npy files or images (${IMAGE_EXTENSIONS.join(', ')})`, { file: target });
    const files = names.map((n) => path.join(target, n));
    const parts: Tensor[] = [];
    for (const f of files) parts.push(parseNpy(await readCalibBytes(f), f, budget));
    return { tensor: concatRows(parts, files), files };
  }
  const bytes = await readCalibBytes(target);
  if (isNpy(bytes)) {
    if (options.shape) throw new QtkError('E_OPTION', `--calib-shape applies to a raw float32 file, but '${target}' is a .npy file (it carries its own shape)`, { option: 'calib-shape' });
    return { tensor: parseNpy(bytes, target, budget), files: [target] };
  }
  if (target.toLowerCase().endsWith('.npy')) parseNpy(bytes, target, budget); // names what is wrong with the header
  if (options.npyOnly) throw new QtkError('E_CALIB_DATA', `'${target}' is not a .npy file; calibration data for one input of several must be .npy (it carries its shape)`, { file: target });
  if (!options.shape) {
    throw new QtkError('E_CALIB_DATA', `'${target}' is not a .npy file; for raw float32 data give its shape with --calib-shape (e.g. N,1,8,8)`, { file: target });
  }
  return { tensor: parseRawFloat32(bytes, options.shape, target), files: [target] };
}

function isNpy(bytes: Uint8Array): boolean {
  return NPY_MAGIC.every((b, i) => bytes[i] === b);
}

/** The bytes of calibration data file `file`; E_IO naming it when it cannot be read. */
export async function readCalibBytes(file: string): Promise<Uint8Array> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    throw new QtkError('E_IO', `cannot read calibration data '${file}': ${(e as Error).message}`, { file }, { cause: e });
  }
}
