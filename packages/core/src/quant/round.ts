/**
 * Rounding and saturation as ONNX quantization operators define them:
 * round half to even (banker's rounding), then clamp into the integer range of the target type.
 * Example: `roundHalfToEven(2.5) === 2`, `saturate(300, 'uint8') === 255`.
 */
import { intRange, type DType } from '../ir/dtype.js';

/** 1.5 * 2^52: adding and subtracting it rounds a double to an integer, ties to even. */
const ROUND_MAGIC = 6755399441055744;

/**
 * Rounds to the nearest integer, ties to the even neighbour (IEEE round-to-nearest-even):
 * `roundHalfToEven(0.5) === 0`, `roundHalfToEven(1.5) === 2`, `roundHalfToEven(-2.5) === -2`.
 * NaN and ±Infinity come back unchanged; results of magnitude below 0.5 are +0.
 */
export function roundHalfToEven(x: number): number {
  // Doubles of magnitude >= 2^51 are already integers; the magic sum is exact below that.
  return Math.abs(x) < 2251799813685248 ? x + ROUND_MAGIC - ROUND_MAGIC : x;
}

/**
 * Clamps `v` into the inclusive integer range of `dtype` (see `intRange`):
 * `saturate(-3, 'uint8') === 0`, `saturate(200, 'int8') === 127`.
 * Does not round; NaN stays NaN. Throws E_DTYPE for a dtype without an integer range.
 */
export function saturate(v: number, dtype: DType): number {
  const [lo, hi] = intRange(dtype);
  return v < lo ? lo : v > hi ? hi : v;
}
