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
  if (data instanceof Float32Array) return float32Extent(data, start, end);
  let lo = Infinity, hi = -Infinity, sum = 0;
  for (let i = start; i < end; i++) {
    const v = data[i]!;
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
    sum += v;
  }
  if (sum - sum === 0) return { min: lo, max: hi, nonFinite: 0 };
  return slowExtent(data, start, end);
}

/**
 * `finiteExtent` for float32 data (monomorphic, so the JIT keeps it tight): the two
 * halves of the range are scanned side by side, which halves the dependency chains of
 * the running min, max and sum. On ties the first half wins, so the result (down to the
 * sign of a zero extreme) is the one a single left-to-right scan gives.
 */
function float32Extent(data: Float32Array, start: number, end: number): FiniteExtent {
  const half = (end - start) >> 1;
  let lo0 = Infinity, hi0 = -Infinity, s0 = 0, lo1 = Infinity, hi1 = -Infinity, s1 = 0;
  for (let i = start, j = start + half; i < start + half; i++, j++) {
    const v = data[i]!, w = data[j]!;
    lo0 = v < lo0 ? v : lo0; hi0 = v > hi0 ? v : hi0; s0 += v;
    lo1 = w < lo1 ? w : lo1; hi1 = w > hi1 ? w : hi1; s1 += w;
  }
  for (let j = start + 2 * half; j < end; j++) {
    const w = data[j]!;
    lo1 = w < lo1 ? w : lo1; hi1 = w > hi1 ? w : hi1; s1 += w;
  }
  const sum = s0 + s1;
  if (sum - sum === 0) return { min: lo1 < lo0 ? lo1 : lo0, max: hi1 > hi0 ? hi1 : hi0, nonFinite: 0 };
  return slowExtent(data, start, end);
}

/** The counting pass, for data holding NaN or ±Infinity. */
function slowExtent(data: ArrayLike<number>, start: number, end: number): FiniteExtent {
  let lo = Infinity, hi = -Infinity;
  let bad = 0;
  for (let i = start; i < end; i++) {
    const v = data[i]!;
    if (v - v !== 0) { bad++; continue; }
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
  }
  return { min: lo, max: hi, nonFinite: bad };
}
