// Convolution helpers: im2col into packed GEMM B panels (FP32) and a direct depthwise kernel.

import { scratchBase, SCRATCH_POS } from './scratch';
import { winDh, winDw, winH, winKh, winKw, winOH, winOW, winPl, winPt, winSh, winSw, winW } from './window';

/**
 * Fills `pos` (scratch of 16 i32) for the panel starting at output n0: origin row, then
 * column, of each of its 8 outputs (-100000 marks a padding column past N). Returns true when
 * all 8 lie in one output row (consecutive columns).
 */
export function panelOrigins(pos: usize, n0: i32, N: i32, OW: i32, sh: i32, sw: i32, pt: i32, pl: i32): bool {
  let oh = n0 / OW, ow = n0 - oh * OW;
  const same = ow + 8 <= OW && n0 + 8 <= N;
  for (let j = 0; j < 8; j++) {
    const n = n0 + j;
    const ok = n < N;
    store<i32>(pos + (<usize>j << 2), ok ? oh * sh - pt : -100000);
    store<i32>(pos + 32 + (<usize>j << 2), ok ? ow * sw - pl : -100000);
    ow++;
    if (ow == OW) { ow = 0; oh++; }
  }
  return same;
}

/**
 * Writes the im2col matrix of one image group (C channels of H x W at x) as packed B panels
 * (8 columns each, see gemm.ts) for output columns [n0, n0 + count): row k = (c, ky, kx),
 * column n = (oh, ow); padding reads 0. Panels are produced one at a time, each written
 * sequentially. `win` is the window params block (window.ts).
 */
export function im2colF32(x: usize, C: i32, win: usize, n0: i32, count: i32, dst: usize): void {
  const H = winH(win), W = winW(win), kh = winKh(win), kw = winKw(win), sh = winSh(win), sw = winSw(win);
  const dh = winDh(win), dw = winDw(win), pt = winPt(win), pl = winPl(win), OH = winOH(win), OW = winOW(win);
  const N = min(OH * OW, n0 + count);
  const panels = (count + 7) >> 3;
  const zero = f32x4.splat(0);
  // row and column origins (ih0, iw0) of the 8 outputs of one panel, and their validity
  const pos = scratchBase() + SCRATCH_POS;
  let d = dst;
  for (let q = 0; q < panels; q++) {
    const row = panelOrigins(pos, n0 + q * 8, N, OW, sh, sw, pt, pl);
    const fast = row && sw == 1, fast2 = row && sw == 2;
    const ih0 = load<i32>(pos), iw0 = load<i32>(pos, 32);
    for (let c = 0; c < C; c++) {
      const plane = x + ((<usize>c * H * W) << 2);
      for (let ky = 0; ky < kh; ky++) {
        const dy = ky * dh;
        for (let kx = 0; kx < kw; kx++) {
          const dx = kx * dw;
          if (fast2) {
            const ih = ih0 + dy, iw = iw0 + dx;
            if (ih >= 0 && ih < H && iw >= 0 && iw + 16 <= W) {
              // stride 2: even lanes of 16 consecutive values
              const src = plane + ((<usize>ih * W + iw) << 2);
              v128.store(d, v128.shuffle<f32>(v128.load(src), v128.load(src, 16), 0, 2, 4, 6));
              v128.store(d, v128.shuffle<f32>(v128.load(src, 32), v128.load(src, 48), 0, 2, 4, 6), 16);
              d += 32;
              continue;
            }
          }
          if (fast) {
            const ih = ih0 + dy, iw = iw0 + dx;
            if (ih >= 0 && ih < H && iw >= 0 && iw + 8 <= W) {
              const src = plane + ((<usize>ih * W + iw) << 2);
              v128.store(d, v128.load(src));
              v128.store(d, v128.load(src, 16), 16);
              d += 32;
              continue;
            }
            if (ih < 0 || ih >= H) {
              v128.store(d, zero);
              v128.store(d, zero, 16);
              d += 32;
              continue;
            }
          }
          for (let j = 0; j < 8; j++) {
            const ih = load<i32>(pos + (<usize>j << 2)) + dy, iw = load<i32>(pos + 32 + (<usize>j << 2)) + dx;
            const v: f32 = ih >= 0 && ih < H && iw >= 0 && iw < W ? load<f32>(plane + ((<usize>ih * W + iw) << 2)) : 0;
            store<f32>(d + (<usize>j << 2), v);
          }
          d += 32;
        }
      }
    }
  }
}

/**
 * Direct depthwise convolution of one image: C input channels, M = C * mult outputs,
 * weight [M, 1, kh, kw], bias [M] (0 pointer for none), output clamped to [lo, hi];
 * `win` is the window params block (window.ts).
 */
export function depthwiseF32(x: usize, C: i32, w: usize, bias: usize, mult: i32, win: usize, y: usize, lo: f32, hi: f32): void {
  const H = winH(win), W = winW(win), kh = winKh(win), kw = winKw(win), sh = winSh(win), sw = winSw(win);
  const dh = winDh(win), dw = winDw(win), pt = winPt(win), pl = winPl(win), OH = winOH(win), OW = winOW(win);
  const M = C * mult;
  for (let m = 0; m < M; m++) {
    const plane = x + ((<usize>(m / mult) * H * W) << 2);
    const wk = w + ((<usize>m * kh * kw) << 2);
    const b: f32 = bias ? load<f32>(bias + (<usize>m << 2)) : 0;
    const out = y + ((<usize>m * OH * OW) << 2);
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        let s: f32 = b;
        for (let ky = 0; ky < kh; ky++) {
          const ih = oh * sh - pt + ky * dh;
          if (ih < 0 || ih >= H) continue;
          for (let kx = 0; kx < kw; kx++) {
            const iw = ow * sw - pl + kx * dw;
            if (iw < 0 || iw >= W) continue;
            s += load<f32>(plane + ((<usize>ih * W + iw) << 2)) * load<f32>(wk + ((<usize>ky * kw + kx) << 2));
          }
        }
        store<f32>(out + ((<usize>oh * OW + ow) << 2), min(max(s, lo), hi));
      }
    }
  }
}
