// FP32 GEMM over packed operands.
// A is packed in panels of 4 rows: element (r, k) of panel p sits at f32 index (p*K + k)*4 + r.
// B is packed in panels of 8 columns: element (k, c) of panel q sits at f32 index (q*K + k)*8 + c.
// Panels are zero padded, so every micro-tile is computed in full; only stores are clipped.

import { scratchBase, SCRATCH_SGEMM_TILE } from './scratch';

const KC: i32 = 256;
const MC: i32 = 64;

@inline
function microTile(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const a0 = v128.load32_splat(ap);
    const a1 = v128.load32_splat(ap, 4);
    const a2 = v128.load32_splat(ap, 8);
    const a3 = v128.load32_splat(ap, 12);
    c00 = f32x4.add(c00, f32x4.mul(a0, b0)); c01 = f32x4.add(c01, f32x4.mul(a0, b1));
    c10 = f32x4.add(c10, f32x4.mul(a1, b0)); c11 = f32x4.add(c11, f32x4.mul(a1, b1));
    c20 = f32x4.add(c20, f32x4.mul(a2, b0)); c21 = f32x4.add(c21, f32x4.mul(a2, b1));
    c30 = f32x4.add(c30, f32x4.mul(a3, b0)); c31 = f32x4.add(c31, f32x4.mul(a3, b1));
    ap += 16;
    bp += 32;
  }
  const s = <usize>ldc << 2;
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + s)); c11 = f32x4.add(c11, v128.load(c + s, 16));
    c20 = f32x4.add(c20, v128.load(c + 2 * s)); c21 = f32x4.add(c21, v128.load(c + 2 * s, 16));
    c30 = f32x4.add(c30, v128.load(c + 3 * s)); c31 = f32x4.add(c31, v128.load(c + 3 * s, 16));
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + s, c10); v128.store(c + s, c11, 16);
  v128.store(c + 2 * s, c20); v128.store(c + 2 * s, c21, 16);
  v128.store(c + 3 * s, c30); v128.store(c + 3 * s, c31, 16);
}

/**
 * C[M x N] (row stride ldc) = A[M x K] * B[K x N], both packed (see file header).
 * Overwrites C; bias and activation are a separate pass (biasAct).
 */
export function sgemm(M: i32, N: i32, K: i32, a: usize, b: usize, c: usize, ldc: i32): void {
  const mPanels = (M + 3) >> 2;
  const nPanels = (N + 7) >> 3;
  // scratch tile for clipped stores (4 rows x 8 columns)
  const tile = scratchBase() + SCRATCH_SGEMM_TILE;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    const acc = k0 > 0;
    for (let p0 = 0; p0 < mPanels; p0 += MC >> 2) {
      const p1 = min(mPanels, p0 + (MC >> 2));
      for (let q = 0; q < nPanels; q++) {
        const bp = b + ((<usize>q * K + k0) << 5);
        const cols = min(8, N - q * 8);
        for (let p = p0; p < p1; p++) {
          const ap = a + ((<usize>p * K + k0) << 4);
          const rows = min(4, M - p * 4);
          const cp = c + ((<usize>(p * 4) * ldc + q * 8) << 2);
          if (rows == 4 && cols == 8 && ldc >= 8) {
            microTile(ap, bp, kc, cp, ldc, acc);
          } else {
            if (acc) {
              for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) {
                store<f32>(tile + ((r * 8 + j) << 2), load<f32>(cp + ((<usize>r * ldc + j) << 2)));
              }
            }
            microTile(ap, bp, kc, tile, 8, acc);
            for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) {
              store<f32>(cp + ((<usize>r * ldc + j) << 2), load<f32>(tile + ((r * 8 + j) << 2)));
            }
          }
        }
      }
    }
  }
}

/**
 * In place over C[M x N] (row stride ldc): adds bias (mode 0 none, 1 per row, 2 per column)
 * then clamps to [lo, hi] (pass -inf/+inf for no activation, 0/+inf for Relu).
 */
export function biasAct(M: i32, N: i32, c: usize, ldc: i32, bias: usize, mode: i32, lo: f32, hi: f32): void {
  const vlo = f32x4.splat(lo), vhi = f32x4.splat(hi);
  for (let r = 0; r < M; r++) {
    const row = c + ((<usize>r * ldc) << 2);
    const rb: f32 = mode == 1 ? load<f32>(bias + (<usize>r << 2)) : 0;
    const vrb = f32x4.splat(rb);
    let j = 0;
    for (; j + 4 <= N; j += 4) {
      const p = row + (<usize>j << 2);
      let v = f32x4.add(v128.load(p), vrb);
      if (mode == 2) v = f32x4.add(v, v128.load(bias + (<usize>j << 2)));
      v128.store(p, f32x4.min(f32x4.max(v, vlo), vhi));
    }
    for (; j < N; j++) {
      const p = row + (<usize>j << 2);
      let v = load<f32>(p) + rb;
      if (mode == 2) v += load<f32>(bias + (<usize>j << 2));
      store<f32>(p, min(max(v, lo), hi));
    }
  }
}

/** Packs rows of a row-major matrix (element (r,k) at src + (r*rs + k*ks)*4) into A panels. */
export function packA(src: usize, M: i32, K: i32, rs: i32, ks: i32, dst: usize): void {
  const panels = (M + 3) >> 2;
  for (let p = 0; p < panels; p++) {
    for (let k = 0; k < K; k++) {
      const d = dst + ((<usize>p * K + k) << 4);
      for (let r = 0; r < 4; r++) {
        const row = p * 4 + r;
        store<f32>(d + (<usize>r << 2), row < M ? load<f32>(src + ((<usize>row * rs + <usize>k * ks) << 2)) : 0);
      }
    }
  }
}

/** Packs a matrix (element (k,c) at src + (k*rs + c*cs)*4) into B panels of 8 columns. */
export function packB(src: usize, K: i32, N: i32, rs: i32, cs: i32, dst: usize): void {
  const panels = (N + 7) >> 3;
  for (let q = 0; q < panels; q++) {
    for (let k = 0; k < K; k++) {
      const d = dst + ((<usize>q * K + k) << 5);
      if (cs == 1 && q * 8 + 8 <= N) {
        const s = src + ((<usize>k * rs + q * 8) << 2);
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        continue;
      }
      for (let j = 0; j < 8; j++) {
        const col = q * 8 + j;
        store<f32>(d + (<usize>j << 2), col < N ? load<f32>(src + ((<usize>k * rs + <usize>col * cs) << 2)) : 0);
      }
    }
  }
}
