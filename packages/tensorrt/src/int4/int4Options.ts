/** Options of `quantizeInt4` and their checks. */
import { QtkError } from '@qtk/core';
import type { Int4Algorithm } from '../options.js';

/** Block sizes TensorRT's INT4 weight-only path takes (Model Optimizer's default is 128). */
export const INT4_BLOCK_SIZES: readonly number[] = [128, 64];

/** What `quantizeInt4` is asked for. */
export interface Int4Options {
  /** Block length along the reduction axis: 128 (default) or 64. */
  blockSize?: number;
  /** `awq_lite` (default: per-channel scale search on calibration data) or `rtn` (round to nearest). */
  algorithm?: Int4Algorithm;
  /** Node names (or /regex/ strings) to keep in float. */
  exclude?: string[];
  /** Step of the awq_lite alpha grid over [0, 1] (default 0.1, as Model Optimizer's `awqlite_alpha_step`). */
  alphaStep?: number;
}

/** `Int4Options` with every default filled in. */
export interface ResolvedInt4Options {
  /** 128 or 64. */
  blockSize: number;
  /** awq_lite or rtn. */
  algorithm: Int4Algorithm;
  /** Node names or /regex/ strings kept float (may be empty). */
  exclude: string[];
  /** Step of the alpha grid. */
  alphaStep: number;
}

const ALGORITHMS: readonly Int4Algorithm[] = ['awq_lite', 'rtn'];

/** Fills in defaults; throws E_OPTION naming the field for a block size, algorithm or alpha step out of range. */
export function resolveInt4Options(o: Int4Options = {}): ResolvedInt4Options {
  const blockSize = o.blockSize ?? 128;
  if (!INT4_BLOCK_SIZES.includes(blockSize)) {
    throw new QtkError('E_OPTION', `INT4 blockSize ${String(blockSize)} is not one of: ${INT4_BLOCK_SIZES.join(', ')}`, { option: 'blockSize' });
  }
  const algorithm = o.algorithm ?? 'awq_lite';
  if (!ALGORITHMS.includes(algorithm)) {
    throw new QtkError('E_OPTION', `INT4 algorithm '${String(algorithm)}' is not one of: ${ALGORITHMS.join(', ')}`, { option: 'algorithm' });
  }
  const alphaStep = o.alphaStep ?? 0.1;
  if (!(alphaStep > 0 && alphaStep <= 1)) {
    throw new QtkError('E_OPTION', `INT4 alphaStep ${String(alphaStep)} must lie in (0, 1]`, { option: 'alphaStep' });
  }
  return { blockSize, algorithm, exclude: o.exclude ?? [], alphaStep };
}

/** The awq_lite alpha grid: 0, step, 2·step, … up to 1 inclusive (0.1 gives 11 values). */
export function alphaGrid(step: number): number[] {
  const n = Math.round(1 / step);
  const grid = Array.from({ length: n + 1 }, (_, i) => Math.min(1, Math.round(i * step * 1e6) / 1e6));
  if (grid[grid.length - 1] !== 1) grid.push(1);
  return grid;
}
