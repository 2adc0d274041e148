/**
 * Smallest and largest finite value of a float array, and how many values are NaN or
 * ±Infinity: the scan every min/max-based observer starts from.
 */

/** Result of `finiteExtent`: `min` is +Infinity and `max` -Infinity when nothing was finite. */
export interface FiniteExtent {
  min: number;
  max: number;
  nonFinite: number;
}

/**
 * Min, max and non-finite count of `data[start..end)`.
 * One branch-light pass: NaN fails every comparison, so it never becomes the min or
 * max, and a running sum (which cannot overflow a double for float32 inputs) turns
 * NaN or infinite exactly when some value was; only then a second pass counts them.
 * Example: `finiteExtent(Float32Array.of(1, NaN, -2, Infinity))` is `{ min: -2, max: 1, nonFinite: 2 }`.
 */
export function finiteExtent(data: ArrayLike<number>, start = 0, end = data.length): FiniteExtent {
  let lo = Infinity, hi = -Infinity, sum = 0;
  for (let i = start; i < end; i++) {
    const v = data[i]!;
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
    sum += v;
  }
  if (sum - sum === 0) return { min: lo, max: hi, nonFinite: 0 };
  lo = Infinity; hi = -Infinity;
  let bad = 0;
  for (let i = start; i < end; i++) {
    const v = data[i]!;
    if (v - v !== 0) { bad++; continue; }
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
  }
  return { min: lo, max: hi, nonFinite: bad };
}
