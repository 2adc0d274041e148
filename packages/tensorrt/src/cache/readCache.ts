/** Reading TensorRT's calibration cache text (format in calibrationCache.ts). */
import { QtkError } from '@qtk/core';
import { CALIBRATION_ALGORITHMS, type CalibrationAlgorithm, type CalibrationCache } from './calibrationCache.js';
import { bitsOfHex, hexOfScale, scaleOfBits } from './scaleBits.js';

/** Where a cache came from, for error messages. */
export interface ReadCacheOptions {
  /** The file the text was read from; errors carry it in `where.file`. */
  file?: string;
}

/** Lines longer than this are cut in error messages. */
const SHOWN = 120;

/** `line` quoted for a message, cut to `SHOWN` characters. */
function shown(line: string): string {
  return JSON.stringify(line.length > SHOWN ? `${line.slice(0, SHOWN)}…` : line);
}

/**
 * Parses a calibration cache: `TRT-8601-EntropyCalibration2` then `name: hex` lines
 * (a `\r` before a line's `\n` is dropped). Errors are E_CALIB_DATA naming the line
 * number and the line: an empty text, a first line that is not
 * `TRT-<digits>-<algorithm>` with one of TensorRT's algorithms, a line without `': '`,
 * an empty name, hex that is not 1 to 8 hex digits, a tensor named twice, or an empty line.
 * Example: `readCalibrationCache('TRT-100300-MinMaxCalibration\nx: 3c010204\n')` gives
 * `{ version: '100300', algorithm: 'MinMaxCalibration', scales: Map { 'x' => 1/127 } }`.
 */
export function readCalibrationCache(text: string, options: ReadCacheOptions = {}): CalibrationCache {
  const where = options.file === undefined ? {} : { file: options.file };
  const source = options.file === undefined ? 'calibration cache' : `calibration cache ${options.file}`;
  const fail = (n: number, line: string, why: string): never => {
    throw new QtkError('E_CALIB_DATA', `${source}, line ${n}: ${why}: ${shown(line)}`, where);
  };
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const clean = lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (clean.length === 0) throw new QtkError('E_CALIB_DATA', `${source} is empty: it has no TRT-<version>-<algorithm> header`, where);
  const header = /^TRT-(\d+)-(\w+)$/.exec(clean[0]!);
  if (!header) fail(1, clean[0]!, 'the header is not TRT-<version digits>-<algorithm>');
  const algorithm = header![2] as CalibrationAlgorithm;
  if (!CALIBRATION_ALGORITHMS.includes(algorithm)) fail(1, clean[0]!, `the algorithm is not one of TensorRT's (${CALIBRATION_ALGORITHMS.join(', ')})`);
  const scales = new Map<string, number>();
  const spelling = new Map<string, string>();
  const lineOf = new Map<string, number>();
  for (let i = 1; i < clean.length; i++) {
    const line = clean[i]!;
    const n = i + 1;
    const cut = line.lastIndexOf(': ');
    if (cut < 0) fail(n, line, "the line is not '<tensor name>: <hex scale>'");
    const name = line.slice(0, cut);
    const hex = line.slice(cut + 2);
    if (name === '') fail(n, line, 'the tensor name is empty');
    const bits = bitsOfHex(hex);
    if (bits === undefined) fail(n, line, `the scale '${hex}' is not 1 to 8 hex digits of a float32`);
    if (lineOf.has(name)) fail(n, line, `tensor '${name}' was already given on line ${lineOf.get(name)}`);
    const scale = scaleOfBits(bits!);
    scales.set(name, scale);
    lineOf.set(name, n);
    if (hexOfScale(scale) !== hex) spelling.set(name, hex);
  }
  return { version: header![1]!, algorithm, scales, ...(spelling.size && { spelling }) };
}
