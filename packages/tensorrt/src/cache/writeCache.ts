/** Writing TensorRT's calibration cache text (format in calibrationCache.ts). */
import { QtkError } from '@qtk/core';
import { CALIBRATION_ALGORITHMS, type CalibrationCache } from './calibrationCache.js';
import { bitsOfHex, bitsOfScale, hexOfScale, scaleOfBits } from './scaleBits.js';

/** True when `hex` spells the float32 `scale` (NaN for NaN, whatever the payload). */
function spells(hex: string, scale: number): boolean {
  const bits = bitsOfHex(hex);
  if (bits === undefined) return false;
  const v = scaleOfBits(bits);
  return Number.isNaN(v) ? Number.isNaN(scale) : bits === bitsOfScale(scale);
}

/**
 * The cache as TensorRT writes it: the header `TRT-<version>-<algorithm>`, then one
 * `name: hex` line per scale in map order, each ending in `\n`. Scales are rounded to
 * float32. A cache that `readCalibrationCache` gave comes back byte for byte (TensorRT's
 * own line endings are `\n`; a file read with `\r\n` is written with `\n`). E_OPTION for
 * a version that is not digits (see `trtVersionDigits`), an unknown algorithm, or a
 * tensor name TensorRT could not read back (empty, or holding a line break).
 */
export function writeCalibrationCache(cache: CalibrationCache): string {
  if (!/^\d+$/.test(cache.version)) {
    throw new QtkError('E_OPTION', `calibration cache version '${cache.version}' is not header digits (trtVersionDigits('10.3.0') gives '100300')`, { option: 'version' });
  }
  if (!CALIBRATION_ALGORITHMS.includes(cache.algorithm)) {
    throw new QtkError('E_OPTION', `calibration cache algorithm '${cache.algorithm}' is not one of ${CALIBRATION_ALGORITHMS.join(', ')}`, { option: 'algorithm' });
  }
  const out = [`TRT-${cache.version}-${cache.algorithm}\n`];
  for (const [name, scale] of cache.scales) {
    if (name === '' || /[\r\n]/.test(name)) {
      throw new QtkError('E_OPTION', `calibration cache tensor name ${JSON.stringify(name)} cannot be written: it is empty or holds a line break`, { tensor: name });
    }
    const spelled = cache.spelling?.get(name);
    out.push(`${name}: ${spelled !== undefined && spells(spelled, scale) ? spelled : hexOfScale(scale)}\n`);
  }
  return out.join('');
}
