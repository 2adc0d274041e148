/**
 * Packing of constant GEMM operands into the panel layouts of the kernels (done once per
 * session): FP32 A panels of 4 rows and B panels of 8 columns, and the int16-pair INT8
 * layouts with zero points subtracted (see assembly/gemm.ts and assembly/qgemm.ts), and the
 * int8 form of INT8 A panels whose values all fit in int8 (half the kernel memory).
 */
import type { Arr } from './value.js';

const num = (a: Arr, i: number): number => Number(a[i]!);

/**
 * FP32 panels of `width` rows each: element (r, k) = src[off + r*rs + k*ks], r < rows, k < K,
 * stored panel by panel, k-major within a panel; rows past `rows` stay zero.
 */
function packPanelsF32(src: Float32Array, off: number, rows: number, K: number, width: number, rs: number, ks: number): Float32Array {
  const panels = Math.ceil(rows / width);
  const out = new Float32Array(panels * K * width);
  for (let p = 0; p < panels; p++) for (let k = 0; k < K; k++) for (let r = 0; r < width; r++) {
    const row = p * width + r;
    if (row < rows) out[(p * K + k) * width + r] = src[off + row * rs + k * ks]!;
  }
  return out;
}

/** FP32 A panels of element (r, k) = src[off + r*rs + k*ks], r < M, k < K. */
export function packAF32(src: Float32Array, off: number, M: number, K: number, rs: number, ks: number): Float32Array {
  return packPanelsF32(src, off, M, K, 4, rs, ks);
}

/** FP32 B panels of element (k, c) = src[off + k*rs + c*cs], k < K, c < N. */
export function packBF32(src: Float32Array, off: number, K: number, N: number, rs: number, cs: number): Float32Array {
  return packPanelsF32(src, off, N, K, 8, cs, rs);
}

/** Pairs of K per block of the INT8 GEMM: QGEMM_KC in assembly/qgemm.ts. */
export const QGEMM_KC = 256;

/**
 * INT8 A panels (int16 pairs) of (src[off + r*rs + k*ks] - zp[r]), stored K block by K block
 * of QGEMM_KC pairs (layout in assembly/qgemm.ts).
 */
export function packAQ(src: Arr, off: number, M: number, K: number, rs: number, ks: number, zp: (r: number) => number): Int16Array {
  const KP = Math.ceil(K / 2);
  const panels = Math.ceil(M / 4);
  const out = new Int16Array(panels * KP * 8);
  for (let p = 0; p < panels; p++) for (let r = 0; r < 4; r++) {
    const row = p * 4 + r;
    if (row >= M) continue;
    const z = zp(row);
    for (let k = 0; k < K; k++) {
      const kp = k >> 1, k0 = kp - (kp % QGEMM_KC), kc = Math.min(QGEMM_KC, KP - k0);
      out[((k0 * panels + p * kc + kp - k0) * 4 + r) * 2 + (k & 1)] = num(src, off + row * rs + k * ks) - z;
    }
  }
  return out;
}

/** INT8 B panels (int16 pairs) of (src[off + k*rs + c*cs] - zp[c]). */
export function packBQ(src: Arr, off: number, K: number, N: number, rs: number, cs: number, zp: (c: number) => number): Int16Array {
  const KP = Math.ceil(K / 2);
  const panels = Math.ceil(N / 8);
  const out = new Int16Array(panels * KP * 16);
  for (let q = 0; q < panels; q++) for (let j = 0; j < 8; j++) {
    const col = q * 8 + j;
    if (col >= N) continue;
    const z = zp(col);
    for (let k = 0; k < K; k++) out[((q * KP + (k >> 1)) * 8 + j) * 2 + (k & 1)] = num(src, off + k * rs + col * cs) - z;
  }
  return out;
}

/**
 * The int8 form of INT8 A panels (same element order, one byte each) when every value fits in
 * int8, as for symmetric int8 weights; undefined otherwise (u8 weights with a zero point).
 */
export function narrowPacked(p: Int16Array): Int8Array | undefined {
  for (let i = 0; i < p.length; i++) if (p[i]! < -128 || p[i]! > 127) return undefined;
  return Int8Array.from(p);
}
