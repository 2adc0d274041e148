// INT8 GEMM: operands are widened to int16 with their zero points already subtracted, stored
// as pairs along K so that i32x4.dot_i16x8_s multiplies and adds two K steps at once.
// A panels (4 rows), stored K block by K block (KC pairs each, so that the rows a block of the
// GEMM reads are one contiguous stream): with k0 = kp - kp % KC, kc = min(KC, KP - k0) and
// P = ceil(M / 4) panels, the pair (r, kp) of panel p is the i32 at byte
// ((k0*P + p*kc + kp - k0)*4 + r)*4.
// B panels (8 columns): the pair (kp, c) is the i32 at byte ((q*KP + kp)*8 + c)*4.
// KP = ceil(K / 2); odd K is padded with a zero pair half. Output is int32.
// A may also be stored as int8 in the same layout (element i at byte i instead of 2i) when every
// weight minus its zero point fits in int8: half the memory of constant weights. The *A8 entry
// points widen each block of MC rows x KC pairs into a caller's scratch of QGEMM_A8_SCRATCH bytes:
// the tiles of the first N panel widen the next panel of A as they run, later N panels read the
// scratch, so the widening costs one vector load and store per K pair of 4 rows, once per block.

import { scratchBase, SCRATCH_LANES, SCRATCH_QGEMM_TILE, SCRATCH_TABLE, SCRATCH_TAPS } from './scratch';
import { winDh, winDw, winH, winKh, winKw, winOH, winOW, winSh, winSw, winW } from './window';

/** Pairs of K per block of the GEMM (and of the A layout; engine/pack.ts uses the same). */
export const QGEMM_KC: i32 = 256;
const KC: i32 = QGEMM_KC;
const MC: i32 = 64;

@inline
function requantRow(c0: v128, c1: v128, mult: usize, add: usize, ibias: usize, r: usize, vzp: v128, vlo: v128, vhi: v128, signed: bool, out: usize): void {
  if (ibias) {
    // the int32 bias joins the accumulator before scaling (onnxruntime's order)
    const vb = i32x4.splat(load<i32>(ibias + (r << 2)));
    c0 = i32x4.add(c0, vb);
    c1 = i32x4.add(c1, vb);
  }
  const vm = f32x4.splat(load<f32>(mult + (r << 2))), va = f32x4.splat(load<f32>(add + (r << 2)));
  let i0 = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.add(f32x4.mul(f32x4.convert_i32x4_s(c0), vm), va)));
  let i1 = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.add(f32x4.mul(f32x4.convert_i32x4_s(c1), vm), va)));
  i0 = i32x4.min_s(i32x4.max_s(i32x4.add(i0, vzp), vlo), vhi);
  i1 = i32x4.min_s(i32x4.max_s(i32x4.add(i1, vzp), vlo), vhi);
  const h = i16x8.narrow_i32x4_s(i0, i1);
  v128.store64_lane(out, signed ? i8x16.narrow_i16x8_s(h, h) : i8x16.narrow_i16x8_u(h, h), 0);
}

/**
 * 4x8 tile over kc pairs. Adds C when `accumulate`. Stores int32 to C (row stride ldc), or,
 * when y is set, requantizes per row (mult/add at row r of the tile) and stores 8 bits to y
 * (row stride ldy).
 */
@inline
function microTile(
  ap: usize, bp: usize, kc: i32, c: usize, ldc: i32, accumulate: bool,
  y: usize, ldy: i32, mult: usize, add: usize, zp: i32, lo: i32, hi: i32, half: bool = false, a8: usize = 0, a8dst: usize = 0,
  ibias: usize = 0,
): void {
  let c00 = i32x4.splat(0), c01 = i32x4.splat(0);
  let c10 = i32x4.splat(0), c11 = i32x4.splat(0);
  let c20 = i32x4.splat(0), c21 = i32x4.splat(0);
  let c30 = i32x4.splat(0), c31 = i32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    // int8 A: the K pair of the next panel's 4 rows, widened into that panel's scratch
    if (a8) v128.store(a8dst + (<usize>k << 4), v128.load8x8_s(a8 + (<usize>k << 3)));
    // one row splat live at a time keeps 8 accumulators + 2 B vectors + 1 A in registers
    const b0 = v128.load(bp);
    const b1 = half ? i32x4.splat(0) : v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = i32x4.add(c00, i32x4.dot_i16x8_s(a, b0)); if (!half) c01 = i32x4.add(c01, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(ap, 4);
    c10 = i32x4.add(c10, i32x4.dot_i16x8_s(a, b0)); if (!half) c11 = i32x4.add(c11, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(ap, 8);
    c20 = i32x4.add(c20, i32x4.dot_i16x8_s(a, b0)); if (!half) c21 = i32x4.add(c21, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(ap, 12);
    c30 = i32x4.add(c30, i32x4.dot_i16x8_s(a, b0)); if (!half) c31 = i32x4.add(c31, i32x4.dot_i16x8_s(a, b1));
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
  if (y) {
    // constants made here, after the loop, keep its registers for the accumulators
    const vzp = i32x4.splat(zp), vlo = i32x4.splat(lo), vhi = i32x4.splat(hi);
    const signed = lo < 0;
    const t = <usize>ldy;
    requantRow(c00, c01, mult, add, ibias, 0, vzp, vlo, vhi, signed, y);
    requantRow(c10, c11, mult, add, ibias, 1, vzp, vlo, vhi, signed, y + t);
    requantRow(c20, c21, mult, add, ibias, 2, vzp, vlo, vhi, signed, y + 2 * t);
    requantRow(c30, c31, mult, add, ibias, 3, vzp, vlo, vhi, signed, y + 3 * t);
    return;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + s, c10); v128.store(c + s, c11, 16);
  v128.store(c + 2 * s, c20); v128.store(c + 2 * s, c21, 16);
  v128.store(c + 3 * s, c30); v128.store(c + 3 * s, c31, 16);
}

/**
 * Bytes between consecutive widened panels in the *A8 GEMMs' scratch: kc pairs of 4 rows plus
 * 64, so a tile's stores into the next panel do not 4K-alias its loads of the current one.
 */
@inline
function a8PanelBytes(kc: i32): usize {
  return (<usize>kc << 4) + 64;
}

/** Sink of the cache-warming reads of int8 A (kept so the reads are not optimized away). */
let touched: i32 = 0;

/** Bytes of the scratch the *A8 GEMM entry points widen one block of A into. */
export const QGEMM_A8_SCRATCH: i32 = (MC >> 2) * (KC * 16 + 64);

/** Widens `bytes` int8 (a multiple of 8) at src to int16 at dst. */
@inline
function widenS8(src: usize, bytes: usize, dst: usize): void {
  for (let i: usize = 0; i < bytes; i += 8) v128.store(dst + (i << 1), v128.load8x8_s(src + i));
}

@inline
function qgemmImpl(
  M: i32, N: i32, KP: i32, a: usize, b: usize, c: usize, ldc: i32,
  y: usize, ldy: i32, mult: usize, add: usize, zp: i32, lo: i32, hi: i32, aw: usize = 0, ibias: usize = 0,
): void {
  const mPanels = (M + 3) >> 2;
  const nPanels = (N + 7) >> 3;
  let sink = 0;
  // clipped tiles are computed here (4 rows x 8 columns)
  const tile = scratchBase() + SCRATCH_QGEMM_TILE;
  for (let k0 = 0; k0 < KP; k0 += KC) {
    const kc = min(KC, KP - k0);
    const acc = k0 > 0;
    // the last K block requantizes straight from the registers when y is set
    const yq: usize = y && k0 + kc >= KP ? y : 0;
    for (let p0 = 0; p0 < mPanels; p0 += MC >> 2) {
      const p1 = min(mPanels, p0 + (MC >> 2));
      // int8 A: the tiles of this block read one byte per cache line of the next block (it
      // follows in memory), spread over them, so that block is cached when its widening starts
      let pf: usize = 0, pfEnd: usize = 0, pfStep: usize = 0;
      if (aw) {
        pf = a + ((<usize>k0 * mPanels + <usize>p1 * kc) << 3);
        pfEnd = min(pf + (<usize>(p1 - p0) * kc << 3), a + (<usize>KP * mPanels << 3));
        pfStep = ((pfEnd - pf) / (<usize>nPanels * (p1 - p0)) + 63) & ~(<usize>63);
      }
      for (let q = 0; q < nPanels; q++) {
        const bp = b + ((<usize>q * KP + k0) << 5);
        const cols = min(8, N - q * 8);
        for (let p = p0; p < p1; p++) {
          if (pf < pfEnd) {
            const e = min(pf + pfStep, pfEnd);
            for (; pf < e; pf += 64) sink |= load<u8>(pf);
          }
          const at: usize = <usize>k0 * mPanels + <usize>p * kc;
          let ap = a + (at << 4);
          // int8 A (panels of a block are contiguous): the first panel of the block is widened
          // into aw here, and each tile of the first N panel widens the next panel as it runs
          // (its loads and stores overlap the arithmetic); later N panels read aw
          let a8: usize = 0, a8dst: usize = 0;
          if (aw) {
            ap = aw + <usize>(p - p0) * a8PanelBytes(kc);
            if (q == 0 && p == p0) widenS8(a + (at << 3), <usize>kc << 3, ap);
            if (q == 0 && p + 1 < p1) {
              a8 = a + ((at + kc) << 3);
              a8dst = ap + a8PanelBytes(kc);
            }
          }
          const rows = min(4, M - p * 4);
          const cp = c + ((<usize>(p * 4) * ldc + q * 8) << 2);
          const mp = mult + (<usize>(p * 4) << 2), ad = add + (<usize>(p * 4) << 2);
          const ib: usize = ibias ? ibias + (<usize>(p * 4) << 2) : 0;
          if (rows == 4 && cols == 8 && ldc >= 8) {
            const yt = yq ? yq + <usize>(p * 4) * ldy + q * 8 : 0;
            if (a8) microTile(ap, bp, kc, cp, ldc, acc, yt, ldy, mp, ad, zp, lo, hi, false, a8, a8dst, ib);
            else microTile(ap, bp, kc, cp, ldc, acc, yt, ldy, mp, ad, zp, lo, hi, false, 0, 0, ib);
          } else {
            if (a8) widenS8(a8, <usize>kc << 3, a8dst);
            if (acc) {
              for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) {
                store<i32>(tile + ((r * 8 + j) << 2), load<i32>(cp + ((<usize>r * ldc + j) << 2)));
              }
            }
            // a panel of at most 4 live columns computes only its first half
            if (cols <= 4) microTile(ap, bp, kc, tile, 8, acc, 0, 0, 0, 0, 0, 0, 0, true);
            else microTile(ap, bp, kc, tile, 8, acc, 0, 0, 0, 0, 0, 0, 0);
            if (yq) {
              requant8Bias(rows, cols, tile, 8, mp, ad, ib, 1, zp, lo, hi, yq + <usize>(p * 4) * ldy + q * 8, ldy);
            } else {
              for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) {
                store<i32>(cp + ((<usize>r * ldc + j) << 2), load<i32>(tile + ((r * 8 + j) << 2)));
              }
            }
          }
        }
      }
    }
  }
  touched = sink;
}

/** C[M x N] int32 (row stride ldc) = A * B over packed int16 pairs (KP = pairs along K). */
export function qgemm(M: i32, N: i32, KP: i32, a: usize, b: usize, c: usize, ldc: i32): void {
  qgemmImpl(M, N, KP, a, b, c, ldc, 0, 0, 0, 0, 0, 0, 0);
}

/** qgemm with A stored as int8 (layout in the file header), widened block by block into aw. */
export function qgemmA8(M: i32, N: i32, KP: i32, a: usize, b: usize, c: usize, ldc: i32, aw: usize): void {
  qgemmImpl(M, N, KP, a, b, c, ldc, 0, 0, 0, 0, 0, 0, 0, aw);
}

/**
 * A * B as qgemm, requantized in the same pass as requant8 with per-row factors (mult/add
 * per row of A; zero point zp, clamp [lo, hi], int8 when lo < 0 else uint8) and written as
 * 8 bits at y (row stride ldy). C (row stride ldc, at least N) holds partial sums when KP
 * spans more than one K block.
 */
export function qgemmRequant8(
  M: i32, N: i32, KP: i32, a: usize, b: usize, c: usize, ldc: i32,
  mult: usize, add: usize, zp: i32, lo: i32, hi: i32, y: usize, ldy: i32,
): void {
  qgemmImpl(M, N, KP, a, b, c, ldc, y, ldy, mult, add, zp, lo, hi);
}

/**
 * qgemmRequant8 with an int32 bias per row of A (ibias; 0 for none) added to the accumulator
 * before scaling: v = f32(acc + ibias) * mult + add, as onnxruntime's QLinearConv computes.
 * With aw set, A is stored as int8 (layout in the file header) and widened block by block into
 * aw (QGEMM_A8_SCRATCH bytes); with aw 0, A is int16.
 */
export function qgemmRequant8Bias(
  M: i32, N: i32, KP: i32, a: usize, b: usize, c: usize, ldc: i32,
  mult: usize, add: usize, ibias: usize, zp: i32, lo: i32, hi: i32, y: usize, ldy: i32, aw: usize,
): void {
  if (aw) qgemmImpl(M, N, KP, a, b, c, ldc, y, ldy, mult, add, zp, lo, hi, aw, ibias);
  else qgemmImpl(M, N, KP, a, b, c, ldc, y, ldy, mult, add, zp, lo, hi, 0, ibias);
}

@inline
function readQ(src: usize, i: usize, signed: bool): i32 {
  return signed ? <i32>load<i8>(src + i) : <i32>load<u8>(src + i);
}

/**
 * Packs 8-bit rows (element (r,k) at byte src + r*rs + k*ks) minus zero point zp into
 * int16-pair A panels (block layout in the file header).
 */
export function packAQ(src: usize, signed: bool, zp: i32, M: i32, K: i32, rs: i32, ks: i32, dst: usize): void {
  const KP = (K + 1) >> 1;
  const panels = (M + 3) >> 2;
  for (let p = 0; p < panels; p++) {
    for (let kp = 0; kp < KP; kp++) {
      const k0 = kp - kp % KC, kc = min(KC, KP - k0);
      const d = dst + ((<usize>k0 * panels + <usize>p * kc + kp - k0) << 4);
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

/** Most K steps for which im2colQ keeps a tap offset table (and writes panel by panel). */
const IM2COL_MAX_K: i32 = 8192;
/** Lane masks selecting the first `split` i16 lanes, split = 0..8 (read-only data). */
const masks = memory.data<i16>([
  0, 0, 0, 0, 0, 0, 0, 0,
  -1, 0, 0, 0, 0, 0, 0, 0,
  -1, -1, 0, 0, 0, 0, 0, 0,
  -1, -1, -1, 0, 0, 0, 0, 0,
  -1, -1, -1, -1, 0, 0, 0, 0,
  -1, -1, -1, -1, -1, 0, 0, 0,
  -1, -1, -1, -1, -1, -1, 0, 0,
  -1, -1, -1, -1, -1, -1, -1, 0,
  -1, -1, -1, -1, -1, -1, -1, -1,
], 16);

/**
 * Widens 8-bit planes (C of H x W, zero point zp) to int16 minus zp inside a zero border
 * (pt, pl, pb, pr): dst holds C planes of (H+pt+pb) x (W+pl+pr). The caller keeps 16
 * elements of slack after dst (im2colQ reads may stray into it and mask it off).
 */
export function padWidenQ(x: usize, signed: bool, zp: i32, C: i32, H: i32, W: i32, pt: i32, pl: i32, pb: i32, pr: i32, dst: usize): void {
  const Hp = H + pt + pb, Wp = W + pl + pr;
  // zero border and the slack after the planes (reads past the end are masked off); nothing
  // before dst is touched, so consecutive calls may fill adjacent channel ranges
  memory.fill(dst, 0, ((<usize>C * Hp * Wp) << 1) + 32);
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
function fetch8(t: usize, plane: usize, kOff: i32, Wp: i32, sh: i32, sw: i32, lanes: usize): v128 {
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
 * int16; `win` is the window params block, H and W the padded plane) into int16-pair B
 * panels for output columns [n0, n0 + count) (count at most
 * 8 * IM2COL_MAX_PANELS; columns past OH*OW read the zero border). Loops run K pair by K pair
 * over all panels.
 */
export function im2colQ(x16: usize, C: i32, win: usize, n0: i32, count: i32, dst: usize): void {
  const Hp = winH(win), Wp = winW(win), kh = winKh(win), kw = winKw(win), sh = winSh(win), sw = winSw(win);
  const dh = winDh(win), dw = winDw(win), OH = winOH(win), OW = winOW(win);
  const N = OH * OW;
  const panels = min((count + 7) >> 3, IM2COL_MAX_PANELS);
  const K = C * kh * kw;
  const KP = (K + 1) >> 1;
  // per panel (5 i32): mode (1 one output row, stride 1; 2 one row, stride 2; 3 two rows,
  // stride 1; 0 other), element offset of the first column's window origin, element offset of
  // the second row's origin shifted back by the split (mode 3) or N, the split (mode 3) or OW,
  // and the panel's first output index
  const sc = scratchBase();
  const table = sc + SCRATCH_TABLE, kTaps = sc + SCRATCH_TAPS, lanes = sc + SCRATCH_LANES;
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
  if (K <= IM2COL_MAX_K) {
    // element offset of each K step's tap (c, ky, kx) from a column's window origin
    for (let k = 0; k < K; k++) {
      const c = k / khw, r = k - c * khw, ky = r / kw, kx = r - ky * kw;
      store<i32>(kTaps + (<usize>k << 2), <i32>(<usize>c * plane) + ky * dh * Wp + kx * dw);
    }
    // panel by panel (sequential stores), each with the copy its mode allows
    let d = dst;
    for (let q = 0; q < panels; q++) {
      const t = table + <usize>q * 20;
      const mode = load<i32>(t);
      const o = x16 + (<usize>load<i32>(t, 4) << 1);
      if (mode == 1 || mode == 2 || mode == 3) {
        const o2 = x16 + (<usize>load<i32>(t, 8) << 1);
        const m = v128.load(masks + (<usize>(mode == 3 ? load<i32>(t, 12) : 0) << 4));
        for (let kp = 0; kp < KP; kp++) {
          const k0 = kp * 2;
          const a0 = o + (<usize>load<i32>(kTaps + (<usize>k0 << 2)) << 1);
          const has1 = k0 + 1 < K;
          const a1 = has1 ? o + (<usize>load<i32>(kTaps + (<usize>k0 << 2), 4) << 1) : a0;
          let v0: v128, v1: v128;
          if (mode == 1) {
            v0 = v128.load(a0);
            v1 = v128.load(a1);
          } else if (mode == 2) {
            v0 = v128.shuffle<i16>(v128.load(a0), v128.load(a0, 16), 0, 2, 4, 6, 8, 10, 12, 14);
            v1 = v128.shuffle<i16>(v128.load(a1), v128.load(a1, 16), 0, 2, 4, 6, 8, 10, 12, 14);
          } else {
            v0 = v128.bitselect(v128.load(a0), v128.load(a0 - o + o2), m);
            v1 = v128.bitselect(v128.load(a1), v128.load(a1 - o + o2), m);
          }
          if (!has1) v1 = i16x8.splat(0);
          v128.store(d, v128.shuffle<i16>(v0, v1, 0, 8, 1, 9, 2, 10, 3, 11));
          v128.store(d, v128.shuffle<i16>(v0, v1, 4, 12, 5, 13, 6, 14, 7, 15), 16);
          d += 32;
        }
      } else {
        for (let kp = 0; kp < KP; kp++) {
          const k0 = kp * 2;
          const v0 = fetch8(t, x16, load<i32>(kTaps + (<usize>k0 << 2)), Wp, sh, sw, lanes);
          const v1 = k0 + 1 < K ? fetch8(t, x16, load<i32>(kTaps + (<usize>k0 << 2), 4), Wp, sh, sw, lanes) : i16x8.splat(0);
          v128.store(d, v128.shuffle<i16>(v0, v1, 0, 8, 1, 9, 2, 10, 3, 11));
          v128.store(d, v128.shuffle<i16>(v0, v1, 4, 12, 5, 13, 6, 14, 7, 15), 16);
          d += 32;
        }
      }
    }
    return;
  }
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
      const v0 = fetch8(t, p0, o0, Wp, sh, sw, lanes);
      const v1 = has1 ? fetch8(t, p1, o1, Wp, sh, sw, lanes) : i16x8.splat(0);
      v128.store(d, v128.shuffle<i16>(v0, v1, 0, 8, 1, 9, 2, 10, 3, 11));
      v128.store(d, v128.shuffle<i16>(v0, v1, 4, 12, 5, 13, 6, 14, 7, 15), 16);
      d += stride;
    }
  }
}

/** Lane masks selecting the first `split` i32 lanes of a pair of vectors (8 lanes), split = 0..8 (read-only data). */
const masks32 = memory.data<i32>([
  0, 0, 0, 0, 0, 0, 0, 0,
  -1, 0, 0, 0, 0, 0, 0, 0,
  -1, -1, 0, 0, 0, 0, 0, 0,
  -1, -1, -1, 0, 0, 0, 0, 0,
  -1, -1, -1, -1, 0, 0, 0, 0,
  -1, -1, -1, -1, -1, 0, 0, 0,
  -1, -1, -1, -1, -1, -1, 0, 0,
  -1, -1, -1, -1, -1, -1, -1, 0,
  -1, -1, -1, -1, -1, -1, -1, -1,
], 16);

/**
 * Widens 8-bit planes (C of H x W, zero point zp) minus zp into channel-pair planes inside a
 * zero border (pt, pl, pb, pr): the i32 at pair plane cp, row h, column w of dst holds the
 * int16 pair (channel 2cp, channel 2cp+1), the second half 0 past C. dst holds ceil(C/2)
 * planes of (H+pt+pb) x (W+pl+pr) i32, followed by 128 bytes of zeroed slack.
 */
export function padWidenPairQ(x: usize, signed: bool, zp: i32, C: i32, H: i32, W: i32, pt: i32, pl: i32, pb: i32, pr: i32, dst: usize): void {
  const Hp = H + pt + pb, Wp = W + pl + pr;
  const C2 = (C + 1) >> 1;
  memory.fill(dst, 0, ((<usize>C2 * Hp * Wp) << 2) + 128);
  const vzp = i16x8.splat(<i16>zp);
  const HW = <usize>H * W;
  for (let cp = 0; cp < C2; cp++) {
    const two = 2 * cp + 1 < C;
    for (let h = 0; h < H; h++) {
      const s0 = x + (<usize>(2 * cp) * H + h) * W;
      const s1 = s0 + HW;
      const out = dst + (((<usize>cp * Hp + h + pt) * Wp + pl) << 2);
      let w = 0;
      for (; w + 8 <= W; w += 8) {
        const a = i16x8.sub(signed ? v128.load8x8_s(s0 + w) : v128.load8x8_u(s0 + w), vzp);
        const b = two ? i16x8.sub(signed ? v128.load8x8_s(s1 + w) : v128.load8x8_u(s1 + w), vzp) : i16x8.splat(0);
        v128.store(out + (<usize>w << 2), v128.shuffle<i16>(a, b, 0, 8, 1, 9, 2, 10, 3, 11));
        v128.store(out + (<usize>w << 2), v128.shuffle<i16>(a, b, 4, 12, 5, 13, 6, 14, 7, 15), 16);
      }
      for (; w < W; w++) {
        store<i16>(out + (<usize>w << 2), <i16>(readQ(s0, w, signed) - zp));
        store<i16>(out + (<usize>w << 2) + 2, two ? <i16>(readQ(s1, w, signed) - zp) : <i16>0);
      }
    }
  }
}

/**
 * im2col over channel-pair planes written by padWidenPairQ (C2 pair planes of Hp x Wp i32)
 * into int16-pair B panels for output columns [n0, n0 + count) (`win`: the window params block,
 * H and W the padded plane): K pair
 * kp = (cp * kh + ky) * kw + kx holds channels (2cp, 2cp+1) at kernel tap (ky, kx), so every
 * pair is one aligned i32 copy. KP = C2 * kh * kw. Panels are written one after the other
 * (sequential stores), each with the copy its columns allow: 8 consecutive pixels (stride 1),
 * every other pixel (stride 2), two row pieces (a panel that wraps to the next output row), or
 * pixel by pixel.
 */
export function im2colPairQ(xp: usize, C2: i32, win: usize, n0: i32, count: i32, dst: usize): void {
  const Hp = winH(win), Wp = winW(win), kh = winKh(win), kw = winKw(win), sh = winSh(win), sw = winSw(win);
  const dh = winDh(win), dw = winDw(win), OH = winOH(win), OW = winOW(win);
  const N = OH * OW;
  const panels = (count + 7) >> 3;
  const plane: usize = (<usize>Hp * Wp) << 2;
  const rowStep: usize = (<usize>dh * Wp) << 2, colStep: usize = <usize>dw << 2;
  let d = dst;
  for (let q = 0; q < panels; q++) {
    const first = n0 + q * 8;
    const oh = first / OW, ow = first - oh * OW;
    const inRow = ow + 8 <= OW && first + 8 <= N;
    const split = OW - ow;
    const o = xp + (<usize>(oh * sh * Wp + ow * sw) << 2);
    if (inRow && sw == 1) {
      for (let cp = 0; cp < C2; cp++) {
        let r = o + <usize>cp * plane;
        for (let ky = 0; ky < kh; ky++) {
          let a = r;
          for (let kx = 0; kx < kw; kx++) {
            v128.store(d, v128.load(a));
            v128.store(d, v128.load(a, 16), 16);
            d += 32;
            a += colStep;
          }
          r += rowStep;
        }
      }
    } else if (inRow && sw == 2) {
      for (let cp = 0; cp < C2; cp++) {
        let r = o + <usize>cp * plane;
        for (let ky = 0; ky < kh; ky++) {
          let a = r;
          for (let kx = 0; kx < kw; kx++) {
            v128.store(d, v128.shuffle<i32>(v128.load(a), v128.load(a, 16), 0, 2, 4, 6));
            v128.store(d, v128.shuffle<i32>(v128.load(a, 32), v128.load(a, 48), 0, 2, 4, 6), 16);
            d += 32;
            a += colStep;
          }
          r += rowStep;
        }
      }
    } else if (sw == 1 && split < 8 && first + 8 <= N && 8 - split <= OW) {
      // columns [0, split) end this output row, the rest start the next one
      const o2 = xp + (<usize>((oh + 1) * sh * Wp - split) << 2);
      const m0 = v128.load(masks32 + (<usize>split << 5)), m1 = v128.load(masks32 + (<usize>split << 5), 16);
      for (let cp = 0; cp < C2; cp++) {
        let r = o + <usize>cp * plane, r2 = o2 + <usize>cp * plane;
        for (let ky = 0; ky < kh; ky++) {
          let a = r, b = r2;
          for (let kx = 0; kx < kw; kx++) {
            v128.store(d, v128.bitselect(v128.load(a), v128.load(b), m0));
            v128.store(d, v128.bitselect(v128.load(a, 16), v128.load(b, 16), m1), 16);
            d += 32;
            a += colStep;
            b += colStep;
          }
          r += rowStep;
          r2 += rowStep;
        }
      }
    } else {
      for (let cp = 0; cp < C2; cp++) {
        const base = xp + <usize>cp * plane;
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const kOff = ky * dh * Wp + kx * dw;
            for (let j = 0; j < 8; j++) {
              const n = first + j;
              const ohj = n / OW, owj = n - ohj * OW;
              store<i32>(d + (<usize>j << 2), n < N ? load<i32>(base + (<usize>(ohj * sh * Wp + owj * sw + kOff) << 2)) : 0);
            }
            d += 32;
          }
        }
      }
    }
  }
}

/**
 * Requantizes int32 C[M x N] (row stride ldc): v = acc * mult + add (mult/add per row when
 * mode is 1, per column when 2), rounded half to even, plus zp, clamped to [lo, hi], written
 * as 8-bit (row stride ldy) at y.
 */
export function requant8(M: i32, N: i32, c: usize, ldc: i32, mult: usize, add: usize, mode: i32, zp: i32, lo: i32, hi: i32, y: usize, ldy: i32): void {
  requant8Bias(M, N, c, ldc, mult, add, 0, mode, zp, lo, hi, y, ldy);
}

/**
 * requant8 with an int32 bias (ibias, per row when mode is 1, per column when 2; 0 for none)
 * added to the accumulator before scaling: v = f32(acc + ibias) * mult + add.
 */
export function requant8Bias(M: i32, N: i32, c: usize, ldc: i32, mult: usize, add: usize, ibias: usize, mode: i32, zp: i32, lo: i32, hi: i32, y: usize, ldy: i32): void {
  const vzp = i32x4.splat(zp), vlo = i32x4.splat(lo), vhi = i32x4.splat(hi);
  for (let r = 0; r < M; r++) {
    const row = c + ((<usize>r * ldc) << 2);
    const out = y + <usize>r * ldy;
    const rm = mode == 1 ? load<f32>(mult + (<usize>r << 2)) : 0;
    const ra = mode == 1 ? load<f32>(add + (<usize>r << 2)) : 0;
    const vrm = f32x4.splat(rm), vra = f32x4.splat(ra);
    const rb = ibias && mode == 1 ? load<i32>(ibias + (<usize>r << 2)) : 0;
    const vrb = i32x4.splat(rb);
    let j = 0;
    for (; j + 8 <= N; j += 8) {
      let a0 = v128.load(row + (<usize>j << 2)), a1 = v128.load(row + (<usize>j << 2), 16);
      if (ibias) {
        a0 = i32x4.add(a0, mode == 1 ? vrb : v128.load(ibias + (<usize>j << 2)));
        a1 = i32x4.add(a1, mode == 1 ? vrb : v128.load(ibias + (<usize>j << 2), 16));
      }
      let f0 = f32x4.convert_i32x4_s(a0);
      let f1 = f32x4.convert_i32x4_s(a1);
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
      const bj = ibias ? (mode == 1 ? rb : load<i32>(ibias + (<usize>j << 2))) : 0;
      const f = <f32>(load<i32>(row + (<usize>j << 2)) + bj) * m + a;
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
