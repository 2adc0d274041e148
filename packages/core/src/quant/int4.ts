/**
 * Packing of 4-bit integers two per byte, low nibble first (ONNX int4/uint4 storage):
 * values [1, 2, 3] pack to bytes [0x21, 0x03].
 */

/** Packs `values` (each in -8..7 or 0..15) into `ceil(n / 2)` bytes, element 0 in the low nibble. */
export function packInt4(values: ArrayLike<number>): Uint8Array {
  const n = values.length;
  const out = new Uint8Array((n + 1) >> 1);
  const pairs = n >> 1;
  for (let j = 0; j < pairs; j++) out[j] = (values[2 * j]! & 15) | ((values[2 * j + 1]! & 15) << 4);
  if (n & 1) out[pairs] = values[n - 1]! & 15;
  return out;
}

/** Unpacks `count` 4-bit values from packed bytes: signed gives -8..7 (Int8Array), else 0..15 (Uint8Array). */
export function unpackInt4(packed: Uint8Array, count: number, signed: boolean): Int8Array | Uint8Array {
  const out = signed ? new Int8Array(count) : new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const b = packed[i >> 1]!;
    const v = i & 1 ? b >> 4 : b & 15;
    out[i] = signed && v >= 8 ? v - 16 : v;
  }
  return out;
}
