/**
 * FP8 E4M3FN quantization as ONNX QuantizeLinear/DequantizeLinear (opset 19+) define it for
 * a float8e4m3fn zero point: `y = saturate(x / scale)` rounded to the nearest E4M3FN value,
 * ties to even, with saturate=1 (the default) so values beyond ±448 and ±Infinity become
 * ±448; NaN stays NaN (code 0x7f). Dequantization is `float(y) * scale` (the zero point is
 * a float8 0). `x / scale` is computed in float32 first, as onnxruntime does.
 * Example: scale 1 maps 17 to 16 (a tie between 16 and 18 goes to the even mantissa).
 */
import type { DType } from '../ir/dtype.js';
import { float32Bits, float8e4m3fnToFloat32 } from '../ir/floatBits.js';

/** Largest finite float8e4m3fn magnitude: an amax maps onto it (`scale = amax / 448`). */
export const FLOAT8E4M3FN_MAX = 448;

/** The float8e4m3fn code of NaN (positive sign; 0xff is NaN too). */
export const FLOAT8E4M3FN_NAN = 0x7f;

/** Smallest normal float8e4m3fn magnitude, 2^-6; below it values are multiples of 2^-9. */
const MIN_NORMAL = 2 ** -6;

/** True for the float types QuantizeLinear/DequantizeLinear take as quantized type (opset 19+). */
export function isFloat8QuantType(dtype: DType | string): dtype is 'float8e4m3fn' {
  return dtype === 'float8e4m3fn';
}

/**
 * The float8e4m3fn code of `x` (taken as float32) with ONNX's saturate=1 rounding: nearest
 * value, ties to even, magnitudes past 448 (Infinity included) saturated to ±448, NaN to
 * 0x7f, -0 to 0x80. Bit-exact with `float32ToFloat8e4m3fn(x, true)`, without its table search.
 */
export function encodeFloat8e4m3fn(x: number): number {
  if (x !== x) return FLOAT8E4M3FN_NAN;
  const bits = float32Bits(x);
  const sign = (bits >>> 24) & 0x80;
  const a = Math.abs(Math.fround(x));
  if (a < MIN_NORMAL) {
    // Subnormal codes 0..7 are a / 2^-9; rounding to 8 gives the smallest normal (code 8).
    const m = a * 512;
    const r = Math.round(m);
    return sign | (r - m === 0.5 && (r & 1) === 1 ? r - 1 : r);
  }
  if (a >= FLOAT8E4M3FN_MAX) return sign | 0x7e;
  // Normal: keep 3 of float32's 23 mantissa bits, round to nearest even (a carry moves the exponent).
  const mag = bits & 0x7fffffff;
  const rounded = (mag + 0x7ffff + ((mag >>> 20) & 1)) >>> 20;
  const code = rounded - ((127 - 7) << 3);
  return sign | (code > 0x7e ? 0x7e : code);
}

/** Quantizes `src[start..end)` with one scale into float8e4m3fn codes. */
export function float8Span(src: Float32Array, out: Uint8Array, start: number, end: number, s: number): void {
  for (let i = start; i < end; i++) out[i] = encodeFloat8e4m3fn(Math.fround(src[i]! / s));
}

/** Quantizes `src[start..end)` into float8e4m3fn codes, element `start + k` with `scale[p + k]`. */
export function float8SpanVar(src: Float32Array, out: Uint8Array, start: number, end: number, scale: Float32Array, p: number): void {
  for (let i = start, j = p; i < end; i++, j++) out[i] = encodeFloat8e4m3fn(Math.fround(src[i]! / scale[j]!));
}

/** The float32 value of each of the 256 float8e4m3fn codes (NaN for 0x7f and 0xff). */
export const FLOAT8E4M3FN_VALUES: Float32Array = Float32Array.from({ length: 256 }, (_, c) => float8e4m3fnToFloat32(c));

/** Quantizes and dequantizes `src[start..end)` with one scale; NaN stays NaN as in QuantizeLinear. */
export function float8FakeSpan(src: Float32Array, out: Float32Array, start: number, end: number, s: number): void {
  for (let i = start; i < end; i++) out[i] = Math.fround(FLOAT8E4M3FN_VALUES[encodeFloat8e4m3fn(Math.fround(src[i]! / s))]! * s);
}

/** Quantizes and dequantizes `src[start..end)`, element `start + k` with `scale[p + k]`. */
export function float8FakeSpanVar(src: Float32Array, out: Float32Array, start: number, end: number, scale: Float32Array, p: number): void {
  for (let i = start, j = p; i < end; i++, j++) {
    const s = scale[j]!;
    out[i] = Math.fround(FLOAT8E4M3FN_VALUES[encodeFloat8e4m3fn(Math.fround(src[i]! / s))]! * s);
  }
}
