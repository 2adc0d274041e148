/**
 * Bit-level conversions between float32 and the narrow float formats
 * (float16, bfloat16, float8 e4m3fn), round-to-nearest-even on the way down.
 */
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 bits of a number. */
export function float32Bits(x: number): number {
  f32[0] = x;
  return u32[0]!;
}

/** A number from float32 bits. */
export function float32FromBits(bits: number): number {
  u32[0] = bits >>> 0;
  return f32[0]!;
}

/** IEEE half bits to a number. */
export function float16ToFloat32(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** A number to IEEE half bits, round-to-nearest-even, overflow to infinity. */
export function float32ToFloat16(x: number): number {
  const b = float32Bits(x);
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let r = mant >> shift;
    const rem = mant & ((1 << shift) - 1);
    if (rem > half || (rem === half && (r & 1))) r++;
    return sign | r;
  }
  let r = mant >> 13;
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (r & 1))) {
    r++;
    if (r === 0x400) { r = 0; e++; if (e >= 31) return sign | 0x7c00; }
  }
  return sign | (e << 10) | r;
}

/** bfloat16 bits to a number. */
export function bfloat16ToFloat32(h: number): number {
  return float32FromBits(h << 16);
}

/** A number to bfloat16 bits, round-to-nearest-even. */
export function float32ToBfloat16(x: number): number {
  const b = float32Bits(x);
  if ((b & 0x7f800000) === 0x7f800000 && b & 0x7fffff) return ((b >>> 16) | 0x40) & 0xffff;
  const lsb = (b >>> 16) & 1;
  return ((b + 0x7fff + lsb) >>> 16) & 0xffff;
}

/** float8 e4m3fn bits to a number (no infinities; 0x7f/0xff are NaN). */
export function float8e4m3fnToFloat32(v: number): number {
  const s = v & 0x80 ? -1 : 1;
  const e = (v >> 3) & 0xf;
  const m = v & 7;
  if (e === 15 && m === 7) return NaN;
  if (e === 0) return s * m * 2 ** -9;
  return s * (1 + m / 8) * 2 ** (e - 7);
}

/** A number to float8 e4m3fn bits, round-to-nearest-even, saturating to ±448. */
export function float32ToFloat8e4m3fn(x: number, saturate = true): number {
  if (Number.isNaN(x)) return 0x7f;
  const sign = x < 0 || Object.is(x, -0) ? 0x80 : 0;
  let a = Math.abs(x);
  if (a >= 464 || a === Infinity) return saturate ? sign | 0x7e : sign | 0x7f;
  if (a > 448) a = 448;
  let best = 0;
  let bestErr = Infinity;
  // 127 finite magnitudes: pick the nearest, ties to even code.
  for (let c = 0; c <= 0x7e; c++) {
    const err = Math.abs(float8e4m3fnToFloat32(c) - a);
    if (err < bestErr || (err === bestErr && (c & 1) === 0)) { best = c; bestErr = err; }
  }
  return sign | best;
}
