/**
 * 4-bit codes stored two per byte as two planes: with h = ceil(n / 2), byte i holds code i in
 * its low nibble and code i + h in its high nibble (0 when i + h = n). Standard ops unpack it:
 * `Mod(b, 16)` gives codes 0 … h-1 and `Div(b, 16)` codes h … 2h-1, so one Concat restores the
 * order (no interleaving). Example: codes [1, 2, 3] pack to bytes [0x31, 0x02].
 */

/** Packs codes (each 0 … 15) into ceil(n / 2) bytes, first half low nibbles, second half high. */
export function packNibblePlanes(codes: ArrayLike<number>): Uint8Array {
  const n = codes.length;
  const h = (n + 1) >> 1;
  const out = new Uint8Array(h);
  for (let i = 0; i < h; i++) out[i] = (codes[i]! & 15) | (i + h < n ? (codes[i + h]! & 15) << 4 : 0);
  return out;
}

/** Unpacks `count` codes packed by `packNibblePlanes`. */
export function unpackNibblePlanes(packed: Uint8Array, count: number): Uint8Array {
  const h = (count + 1) >> 1;
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = i < h ? packed[i]! & 15 : packed[i - h]! >> 4;
  return out;
}
