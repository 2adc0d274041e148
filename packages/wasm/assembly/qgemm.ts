// INT8 GEMM: operands are widened to int16 with their zero points already subtracted, stored
// as pairs along K so that i32x4.dot_i16x8_s multiplies and adds two K steps at once.
// A panels (4 rows): the pair (r, kp) is the i32 at byte ((p*KP + kp)*4 + r)*4.
// B panels (8 columns): the pair (kp, c) is the i32 at byte ((q*KP + kp)*8 + c)*4.
// KP = ceil(K / 2); odd K is padded with a zero pair half. Output is int32.

import { pos, panelOrigins } from './conv';

const lanes = memory.data(16, 16);

const KC: i32 = 256;
const MC: i32 = 64;
const tile = memory.data(4 * 8 * 4, 16);

@inline
function microTile(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32, accumulate: bool): void {
  let c00 = i32x4.splat(0), c01 = i32x4.splat(0);
  let c10 = i32x4.splat(0), c11 = i32x4.splat(0);
  let c20 = i32x4.splat(0), c21 = i32x4.splat(0);
  let c30 = i32x4.splat(0), c31 = i32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    // one row splat live at a time keeps 8 accumulators + 2 B vectors + 1 A in registers
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = i32x4.add(c00, i32x4.dot_i16x8_s(a, b0)); c01 = i32x4.add(c01, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(ap, 4);
    c10 = i32x4.add(c10, i32x4.dot_i16x8_s(a, b0)); c11 = i32x4.add(c11, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(ap, 8);
    c20 = i32x4.add(c20, i32x4.dot_i16x8_s(a, b0)); c21 = i32x4.add(c21, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(ap, 12);
    c30 = i32x4.add(c30, i32x4.dot_i16x8_s(a, b0)); c31 = i32x4.add(c31, i32x4.dot_i16x8_s(a, b1));
    ap += 16;
    bp += 32;
  }
  const s = <usize>ldc << 2;
  if (accumulate) {
    c00 = i32x4.add(c00, v128.load(c)); c01 = i32x4.add(c01, v128.load(c, 16));
    c10 = i32x4.add(c10, v128.load(c + s)); c11 = i32x4.add(c11, v128.load(c + s, 16));
    c20 = i32x4.add(c20, v128.load(c + 2 * s)); c21 = i32x4.add(c21, v128.load(c + 2 * s, 16));
    c30 = i32x4.add(c30, v128.load(c + 3 * s)); c31 = i32x4.add(c31, v128.load(c + 3 * s, 16));
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + s, c10); v128.store(c + s, c11, 16);
  v128.store(c + 2 * s, c20); v128.store(c + 2 * s, c21, 16);
  v128.store(c + 3 * s, c30); v128.store(c + 3 * s, c31, 16);
}

/** C[M x N] int32 (row stride ldc) = A * B over packed int16 pairs (KP = pairs along K). */
export function qgemm(M: i32, N: i32, KP: i32, a: usize, b: usize, c: usize, ldc: i32): void {
  const mPanels = (M + 3) >> 2;
  const nPanels = (N + 7) >> 3;
  for (let k0 = 0; k0 < KP; k0 += KC) {
    const kc = min(KC, KP - k0);
    const acc = k0 > 0;
    for (let p0 = 0; p0 < mPanels; p0 += MC >> 2) {
      const p1 = min(mPanels, p0 + (MC >> 2));
      for (let q = 0; q < nPanels; q++) {
        const bp = b + ((<usize>q * KP + k0) << 5);
        const cols = min(8, N - q * 8);
        for (let p = p0; p < p1; p++) {
          const ap = a + ((<usize>p * KP + k0) << 4);
          const rows = min(4, M - p * 4);
          const cp = c + ((<usize>(p * 4) * ldc + q * 8) << 2);
          if (rows == 4 && cols == 8 && ldc >= 8) {
            microTile(ap, bp, kc, cp, ldc, acc);
          } else {
            if (acc) {
              for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) {
                store<i32>(tile + ((r * 8 + j) << 2), load<i32>(cp + ((<usize>r * ldc + j) << 2)));
              }
            }
            microTile(ap, bp, kc, tile, 8, acc);
            for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) {
              store<i32>(cp + ((<usize>r * ldc + j) << 2), load<i32>(tile + ((r * 8 + j) << 2)));
            }
          }
        }
      }
    }
  }
}

@inline
function readQ(src: usize, i: usize, signed: bool): i32 {
  return signed ? <i32>load<i8>(src + i) : <i32>load<u8>(src + i);
}

/**
 * Packs 8-bit rows (element (r,k) at byte src + r*rs + k*ks) minus zero point zp into
 * int16-pair A panels.
 */
export function packAQ(src: usize, signed: bool, zp: i32, M: i32, K: i32, rs: i32, ks: i32, dst: usize): void {
  const KP = (K + 1) >> 1;
  const panels = (M + 3) >> 2;
  for (let p = 0; p < panels; p++) {
    for (let kp = 0; kp < KP; kp++) {
      const d = dst + ((<usize>p * KP + kp) << 4);
      for (let r = 0; r < 4; r++) {
        const row = p * 4 + r;
        let v0 = 0, v1 = 0;
        if (row < M) {
          const k = kp * 2;
          v0 = readQ(src, <usize>row * rs + <usize>k * ks, signed) - zp;
          if (k + 1 < K) v1 = readQ(src, <usize>row * rs + <usize>(k + 1) * ks, signed) - zp;
        }
        store<i16>(d + (<usize>r << 2), <i16>v0);
        store<i16>(d + (<usize>r << 2) + 2, <i16>v1);
      }
    }
  }
}

/**
 * Packs an 8-bit matrix (element (k,c) at byte src + k*rs + c*cs) minus zero point zp into
 * int16-pair B panels of 8 columns.
 */
export function packBQ(src: usize, signed: bool, zp: i32, K: i32, N: i32, rs: i32, cs: i32, dst: usize): void {
  const KP = (K + 1) >> 1;
  const panels = (N + 7) >> 3;
  for (let q = 0; q < panels; q++) {
    for (let kp = 0; kp < KP; kp++) {
      const d = dst + ((<usize>q * KP + kp) << 5);
      const k = kp * 2;
      for (let j = 0; j < 8; j++) {
        const col = q * 8 + j;
        let v0 = 0, v1 = 0;
        if (col < N) {
          v0 = readQ(src, <usize>k * rs + <usize>col * cs, signed) - zp;
          if (k + 1 < K) v1 = readQ(src, <usize>(k + 1) * rs + <usize>col * cs, signed) - zp;
        }
        store<i16>(d + (<usize>j << 2), <i16>v0);
        store<i16>(d + (<usize>j << 2) + 2, <i16>v1);
      }
    }
  }
}

/** Most panels (8 columns each) one im2colQ call may produce: 2048 output columns. */
export const IM2COL_MAX_PANELS: i32 = 256;

/**
 * Per panel (5 i32): mode (1 one output row, stride 1; 2 one row, stride 2; 3 two rows,
 * stride 1; 0 other), element offset of the first column's window origin, element offset of
 * the second row's origin shifted back by the split (mode 3) or N, the split (mode 3) or OW,
 * and the panel's first output index.
 */
const table = memory.data(256 * 20, 16);
/** Lane masks selecting the first `split` i16 lanes, split = 0..8. */
const masks = memory.data(9 * 16, 16);

/**
 * Widens 8-bit planes (C of H x W, zero point zp) to int16 minus zp inside a zero border
 * (pt, pl, pb, pr): dst holds C planes of (H+pt+pb) x (W+pl+pr). The caller keeps 16
 * elements of slack before and after dst (im2colQ reads may stray into it and mask it off).
 */
export function padWidenQ(x: usize, signed: bool, zp: i32, C: i32, H: i32, W: i32, pt: i32, pl: i32, pb: i32, pr: i32, dst: usize): void {
  const Hp = H + pt + pb, Wp = W + pl + pr;
  memory.fill(dst - 32, 0, ((<usize>C * Hp * Wp) << 1) + 64);
  const vzp = i16x8.splat(<i16>zp);
  for (let c = 0; c < C; c++) {
    for (let h = 0; h < H; h++) {
      const src = x + (<usize>c * H + h) * W;
      const out = dst + (((<usize>c * Hp + h + pt) * Wp + pl) << 1);
      let w = 0;
      for (; w + 8 <= W; w += 8) {
        v128.store(out + (<usize>w << 1), i16x8.sub(signed ? v128.load8x8_s(src + w) : v128.load8x8_u(src + w), vzp));
      }
      for (; w < W; w++) store<i16>(out + (<usize>w << 1), <i16>((signed ? <i32>load<i8>(src + w) : <i32>load<u8>(src + w)) - zp));
    }
  }
}

@inline
function fetch8(t: usize, plane: usize, kOff: i32, Wp: i32, sh: i32, sw: i32): v128 {
  const mode = load<i32>(t);
  const a = plane + (<usize>(load<i32>(t, 4) + kOff) << 1);
  if (mode == 1) return v128.load(a);
  if (mode == 3) {
    const b = plane + (<usize>(load<i32>(t, 8) + kOff) << 1);
    return v128.bitselect(v128.load(a), v128.load(b), v128.load(masks + (<usize>load<i32>(t, 12) << 4)));
  }
  if (mode == 2) return v128.shuffle<i16>(v128.load(a), v128.load(a, 16), 0, 2, 4, 6, 8, 10, 12, 14);
  // general: each of the 8 columns on its own
  const n0 = load<i32>(t, 16);
  const OWs = load<i32>(t, 12), N = load<i32>(t, 8);
  for (let j = 0; j < 8; j++) {
    const n = n0 + j;
    const oh = n / OWs, ow = n - oh * OWs;
    store<i16>(lanes + (<usize>j << 1), n < N ? load<i16>(plane + (<usize>(oh * sh * Wp + ow * sw + kOff) << 1)) : <i16>0);
  }
  return v128.load(lanes);
}

/**
 * im2col of one image group already widened and padded by padWidenQ (C planes of Hp x Wp
 * int16) into int16-pair B panels for output columns [n0, n0 + count) (count at most
 * 8 * IM2COL_MAX_PANELS; columns past OH*OW read the zero border). Loops run K pair by K pair
 * over all panels.
 */
export function im2colQ(
  x16: usize, C: i32, Hp: i32, Wp: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  dh: i32, dw: i32, OH: i32, OW: i32, n0: i32, count: i32, dst: usize,
): void {
  const N = OH * OW;
  const panels = min((count + 7) >> 3, IM2COL_MAX_PANELS);
  const K = C * kh * kw;
  const KP = (K + 1) >> 1;
  if (load<i32>(masks + 16) == 0) {
    for (let s = 0; s <= 8; s++) for (let j = 0; j < 8; j++) store<i16>(masks + (<usize>s << 4) + (<usize>j << 1), j < s ? -1 : 0);
  }
  for (let q = 0; q < panels; q++) {
    const first = n0 + q * 8;
    const oh = first / OW, ow = first - oh * OW;
    const t = table + <usize>q * 20;
    const inRow = ow + 8 <= OW && first + 8 <= N;
    let mode = 0;
    if (inRow && sw == 1) mode = 1;
    else if (inRow && sw == 2) mode = 2;
    else if (sw == 1 && OW - ow < 8 && first + 8 <= N && 8 - (OW - ow) <= OW) mode = 3;
    const split = OW - ow;
    store<i32>(t, mode);
    store<i32>(t, oh * sh * Wp + ow * sw, 4);
    store<i32>(t, mode == 3 ? (oh + 1) * sh * Wp - split : N, 8);
    store<i32>(t, mode == 3 ? split : OW, 12);
    store<i32>(t, first, 16);
  }
  const khw = kh * kw;
  const plane = <usize>Hp * Wp;
  const stride: usize = <usize>KP << 5;
  for (let kp = 0; kp < KP; kp++) {
    const k0 = kp * 2, k1 = k0 + 1;
    const c0 = k0 / khw, r0 = k0 - c0 * khw, ky0 = r0 / kw, kx0 = r0 - ky0 * kw;
    const has1 = k1 < K;
    const c1 = k1 / khw, r1 = k1 - c1 * khw, ky1 = r1 / kw, kx1 = r1 - ky1 * kw;
    const p0 = x16 + ((<usize>c0 * plane) << 1), p1 = x16 + ((<usize>c1 * plane) << 1);
    const o0 = ky0 * dh * Wp + kx0 * dw, o1 = ky1 * dh * Wp + kx1 * dw;
    let d = dst + (<usize>kp << 5);
    for (let q = 0; q < panels; q++) {
      const t = table + <usize>q * 20;
      const v0 = fetch8(t, p0, o0, Wp, sh, sw);
      const v1 = has1 ? fetch8(t, p1, o1, Wp, sh, sw) : i16x8.splat(0);
      v128.store(d, v128.shuffle<i16>(v0, v1, 0, 8, 1, 9, 2, 10, 3, 11));
      v128.store(d, v128.shuffle<i16>(v0, v1, 4, 12, 5, 13, 6, 14, 7, 15), 16);
      d += stride;
    }
  }
}

/**
 * Requantizes int32 C[M x N] (row stride ldc): v = acc * mult + add (mult/add per row when
 * mode is 1, per column when 2), rounded half to even, plus zp, clamped to [lo, hi], written
 * as 8-bit (row stride ldy) at y.
 */
export function requant8(M: i32, N: i32, c: usize, ldc: i32, mult: usize, add: usize, mode: i32, zp: i32, lo: i32, hi: i32, y: usize, ldy: i32): void {
  const vzp = i32x4.splat(zp), vlo = i32x4.splat(lo), vhi = i32x4.splat(hi);
  for (let r = 0; r < M; r++) {
    const row = c + ((<usize>r * ldc) << 2);
    const out = y + <usize>r * ldy;
    const rm = mode == 1 ? load<f32>(mult + (<usize>r << 2)) : 0;
    const ra = mode == 1 ? load<f32>(add + (<usize>r << 2)) : 0;
    const vrm = f32x4.splat(rm), vra = f32x4.splat(ra);
    let j = 0;
    for (; j + 8 <= N; j += 8) {
      let f0 = f32x4.convert_i32x4_s(v128.load(row + (<usize>j << 2)));
      let f1 = f32x4.convert_i32x4_s(v128.load(row + (<usize>j << 2), 16));
      if (mode == 1) {
        f0 = f32x4.add(f32x4.mul(f0, vrm), vra);
        f1 = f32x4.add(f32x4.mul(f1, vrm), vra);
      } else {
        f0 = f32x4.add(f32x4.mul(f0, v128.load(mult + (<usize>j << 2))), v128.load(add + (<usize>j << 2)));
        f1 = f32x4.add(f32x4.mul(f1, v128.load(mult + (<usize>j << 2), 16)), v128.load(add + (<usize>j << 2), 16));
      }
      let i0 = i32x4.add(i32x4.trunc_sat_f32x4_s(f32x4.nearest(f0)), vzp);
      let i1 = i32x4.add(i32x4.trunc_sat_f32x4_s(f32x4.nearest(f1)), vzp);
      i0 = i32x4.min_s(i32x4.max_s(i0, vlo), vhi);
      i1 = i32x4.min_s(i32x4.max_s(i1, vlo), vhi);
      const h = i16x8.narrow_i32x4_s(i0, i1);
      const b = lo < 0 ? i8x16.narrow_i16x8_s(h, h) : i8x16.narrow_i16x8_u(h, h);
      v128.store64_lane(out + j, b, 0);
    }
    for (; j < N; j++) {
      const m = mode == 1 ? rm : load<f32>(mult + (<usize>j << 2));
      const a = mode == 1 ? ra : load<f32>(add + (<usize>j << 2));
      const f = <f32>load<i32>(row + (<usize>j << 2)) * m + a;
      let q = <i32>nearest<f32>(min(max(f, <f32>(lo - zp - 1)), <f32>(hi - zp + 1))) + zp;
      q = min(max(q, lo), hi);
      store<u8>(out + j, <u8>q);
    }
  }
}

/** Like requant8 but writes float32 v = acc * mult + add, clamped to [lo, hi], at y (row stride ldy). */
export function requantF32(M: i32, N: i32, c: usize, ldc: i32, mult: usize, add: usize, mode: i32, lo: f32, hi: f32, y: usize, ldy: i32): void {
  for (let r = 0; r < M; r++) {
    const row = c + ((<usize>r * ldc) << 2);
    const out = y + ((<usize>r * ldy) << 2);
    for (let j = 0; j < N; j++) {
      const i = mode == 1 ? r : j;
      const f = <f32>load<i32>(row + (<usize>j << 2)) * load<f32>(mult + (<usize>i << 2)) + load<f32>(add + (<usize>i << 2));
      store<f32>(out + (<usize>j << 2), min(max(f, lo), hi));
    }
  }
}
