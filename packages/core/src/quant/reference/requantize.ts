/**
 * Requantization of int32 accumulators to a quantized output, as onnxruntime's QLinear kernels
 * do it in float32: `q = saturate(roundHalfToEven(float(acc) * multiplier) + zeroPoint)` with
 * `multiplier = inScale * weightScale / outScale`.
 * Example: acc 1000, multiplier 0.01, zero point 10, uint8 gives 20.
 */
import { roundHalfToEven } from '../round.js';

/** The float32 multiplier `aScale * bScale / yScale`, each step rounded to float32. */
export function requantMultiplier(aScale: number, bScale: number, yScale: number): number {
  return Math.fround(Math.fround(aScale * bScale) / yScale);
}

/** One requantized value: float32 product, rounded half to even, shifted by `zeroPoint`, clamped to [lo, hi]. */
export function requantize(acc: number, multiplier: number, zeroPoint: number, lo: number, hi: number): number {
  const q = roundHalfToEven(Math.fround(Math.fround(acc) * multiplier)) + zeroPoint;
  return q < lo ? lo : q > hi ? hi : q;
}
