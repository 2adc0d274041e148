/**
 * Power-of-two (log2) weight levels: each weight becomes 0 or sign · m · 2^-j, where m is the
 * largest magnitude of its channel and j = 0 … L-1. With `bits` 4 there are 15 levels
 * (L = 7: 0, ±1, ±1/2 … ±1/64 times m), with 8 bits 255 (L = 127). Codes index the normalized
 * level table: 0 → 0, 1 … L → +2^-(code-1), L+1 … 2L → -2^-(code-L-1); the last code is unused (0).
 * Example: a channel [1, -0.3, 0.05] (4-bit) gets m = 1 and values [1, -0.25, 0.0625].
 */
import { QtkError } from '../errors/QtkError.js';
import type { Tensor } from '../ir/tensor.js';
import { resolveQLayout, forEachSpan } from './layout.js';

/** Exponents per sign: 7 for 4-bit codes, 127 for 8-bit codes. */
function exponentsOf(bits: 4 | 8): number {
  return ((1 << bits) - 2) / 2;
}

/** The normalized level of every code (length 2^bits; float32). */
export function log2Levels(bits: 4 | 8): Float32Array {
  const L = exponentsOf(bits);
  const out = new Float32Array(1 << bits);
  for (let j = 0; j < L; j++) {
    out[1 + j] = 2 ** -j;
    out[1 + L + j] = -(2 ** -j);
  }
  return out;
}

/** The code of a magnitude ratio r = |w| / m in [0, 1] and its sign: the nearest level (linear distance). */
function codeOf(r: number, negative: boolean, L: number): number {
  if (!(r > 0)) return 0;
  let best = 0;
  let bestErr = r;
  const j0 = Math.max(0, Math.floor(-Math.log2(r)));
  for (const j of [j0 - 1, j0, j0 + 1]) {
    if (j < 0 || j >= L) continue;
    const err = Math.abs(r - 2 ** -j);
    if (err < bestErr) { best = j + 1; bestErr = err; }
  }
  if (best === 0) return 0;
  return negative ? best + L : best;
}

/** Codes of a tensor and the scale (largest magnitude) of each channel. */
export interface Log2Codes {
  /** One code per element, in the tensor's order. */
  codes: Uint8Array;
  /** Per-channel scale m (1 for an all-zero channel); one value when `axis` is undefined. */
  scale: Float32Array;
  /** The normalized level table (`log2Levels(bits)`). */
  levels: Float32Array;
}

/**
 * Log2 codes of a float32 tensor with one scale per index of `axis` (per tensor when undefined).
 * The value a code stands for is `Math.fround(levels[code] * scale[channel])`.
 * Throws E_DTYPE for a non-float32 tensor.
 */
export function log2Quantize(w: Tensor, bits: 4 | 8, axis?: number): Log2Codes {
  if (w.dtype !== 'float32') throw new QtkError('E_DTYPE', `log2 codes of a ${w.dtype} tensor: expected float32`);
  const src = w.data as Float32Array;
  const plan = resolveQLayout(w.dims, { axis });
  const scale = new Float32Array(plan.paramCount);
  forEachSpan(plan, (start, end, p, stride) => {
    for (let i = start, j = p; i < end; i++, j += stride) {
      const a = Math.abs(src[i]!);
      if (a > scale[j]! && Number.isFinite(a)) scale[j] = a;
    }
  });
  for (let j = 0; j < scale.length; j++) if (!(scale[j]! > 0)) scale[j] = 1;
  const L = exponentsOf(bits);
  const codes = new Uint8Array(src.length);
  forEachSpan(plan, (start, end, p, stride) => {
    for (let i = start, j = p; i < end; i++, j += stride) {
      const v = src[i]!;
      codes[i] = Number.isFinite(v) ? codeOf(Math.abs(v) / scale[j]!, v < 0, L) : 0;
    }
  });
  return { codes, scale, levels: log2Levels(bits) };
}
