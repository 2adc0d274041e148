/**
 * `--calib-size N --seed S`: a deterministic random choice of N of the calibration items
 * (rows of a tensor, or image files). The same total, N and seed always give the same
 * items; they are returned in their original order.
 *
 * Example: `sampleIndices(10, 3, 0)` is three distinct indices in 0..9, ascending, the
 * same on every run.
 */
import { QtkError, Tensor, concatRows, seededRandom, sliceRows } from '@qtk/core';

/**
 * `n` distinct indices in `0..total-1` chosen by a partial Fisher-Yates shuffle seeded
 * with `seed`, sorted ascending; all indices when `n >= total`.
 */
export function sampleIndices(total: number, n: number, seed: number): number[] {
  if (!Number.isInteger(n) || n < 1) throw new QtkError('E_OPTION', `calibration sample count must be a positive integer, got ${n}`, { option: 'calib-size' });
  const all = Array.from({ length: total }, (_, i) => i);
  if (n >= total) return all;
  const random = seededRandom(seed);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (total - i));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, n).sort((a, b) => a - b);
}

/** The rows of `t` (axis 0) at `indices`, in that order. */
export function takeRows(t: Tensor, indices: readonly number[]): Tensor {
  if (indices.length === t.dims[0] && indices.every((v, i) => v === i)) return t;
  return concatRows(indices.map((i) => sliceRows(t, i, i + 1)));
}
