// 2-D pooling over NCHW planes: max (FP32 and 8-bit), average, global average and max.
// Window geometry comes in a window params block (window.ts).

import { winDh, winDw, winH, winKh, winKw, winOH, winOW, winPb, winPl, winPr, winPt, winSh, winSw, winW } from './window';

/** First output column whose window starts at or after column 0 of the row (left padding skipped). */
@inline
function insideColumnsStart(sw: i32, pl: i32, OW: i32): i32 {
  return min(OW, (pl + sw - 1) / sw);
}

/** End of the output columns [insideColumnsStart, end) whose windows lie fully inside a row of W. */
@inline
function insideColumnsEnd(W: i32, kw: i32, sw: i32, dw: i32, pl: i32, OW: i32): i32 {
  const lo = insideColumnsStart(sw, pl, OW);
  const lastStart = W + pl - (kw - 1) * dw - 1;
  return lastStart < 0 ? lo : max(lo, min(OW, lastStart / sw + 1));
}

/**
 * Max pooling of `planes` planes H x W (f32) into OH x OW; out-of-bounds cells are skipped.
 */
export function maxPoolF32(x: usize, planes: i32, win: usize, y: usize): void {
  const H = winH(win), W = winW(win), kh = winKh(win), kw = winKw(win), sh = winSh(win), sw = winSw(win);
  const dh = winDh(win), dw = winDw(win), pt = winPt(win), pl = winPl(win), OH = winOH(win), OW = winOW(win);
  // columns [owLo, owHi) have windows fully inside the row
  const owLo = insideColumnsStart(sw, pl, OW);
  const owHi = insideColumnsEnd(W, kw, sw, dw, pl, OW);
  const vec = kw == 3 && sw == 2 && dw == 1;
  for (let p = 0; p < planes; p++) {
    const src = x + ((<usize>p * H * W) << 2);
    const dst = y + ((<usize>p * OH * OW) << 2);
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * sh - pt;
      const rowsInside = h0 >= 0 && h0 + (kh - 1) * dh < H;
      if (rowsInside) {
        const out = dst + ((<usize>oh * OW) << 2);
        let ow = owLo;
        if (vec) {
          // 3-wide, stride-2 windows, four outputs at a time: max of even, odd and next-even lanes
          for (; ow + 4 <= owHi && (ow * 2 - pl) + 12 <= W; ow += 4) {
            let m = f32x4.splat(-Infinity);
            for (let ky = 0; ky < kh; ky++) {
              const r = src + ((<usize>(h0 + ky * dh) * W + (ow * 2 - pl)) << 2);
              const v0 = v128.load(r), v1 = v128.load(r, 16), v2 = v128.load(r, 32);
              const e = v128.shuffle<f32>(v0, v1, 0, 2, 4, 6);
              const o = v128.shuffle<f32>(v0, v1, 1, 3, 5, 7);
              const e2 = v128.shuffle<f32>(e, v2, 1, 2, 3, 4);
              m = f32x4.max(m, f32x4.max(f32x4.max(e, o), e2));
            }
            v128.store(out + (<usize>ow << 2), m);
          }
        }
        for (; ow < owHi; ow++) {
          let m: f32 = -Infinity;
          const w0 = ow * sw - pl;
          for (let ky = 0; ky < kh; ky++) {
            const r = src + ((<usize>(h0 + ky * dh) * W + w0) << 2);
            for (let kx = 0; kx < kw; kx++) m = max(m, load<f32>(r + (<usize>(kx * dw) << 2)));
          }
          store<f32>(out + (<usize>ow << 2), m);
        }
      }
      for (let ow = 0; ow < OW; ow++) {
        if (rowsInside && ow >= owLo && ow < owHi) continue;
        let m: f32 = -Infinity;
        for (let ky = 0; ky < kh; ky++) {
          const ih = oh * sh - pt + ky * dh;
          if (ih < 0 || ih >= H) continue;
          for (let kx = 0; kx < kw; kx++) {
            const iw = ow * sw - pl + kx * dw;
            if (iw < 0 || iw >= W) continue;
            m = max(m, load<f32>(src + ((<usize>ih * W + iw) << 2)));
          }
        }
        store<f32>(dst + ((<usize>oh * OW + ow) << 2), m);
      }
    }
  }
}

/** Sixteen 3-wide, stride-2 window maxima of kh rows (dilation dh) starting at column w0. */
@inline
function maxRow16(src: usize, h0: i32, kh: i32, dh: i32, W: i32, w0: i32, signed: bool, out: usize): void {
  let m = signed ? i8x16.splat(-128) : i8x16.splat(0);
  for (let ky = 0; ky < kh; ky++) {
    const r = src + <usize>(h0 + ky * dh) * W + w0;
    const v0 = v128.load(r), v1 = v128.load(r, 16), v2 = v128.load(r, 17);
    const e = v128.shuffle<u8>(v0, v1, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const o = v128.shuffle<u8>(v0, v1, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    // windows start at even bytes: e[j], o[j], e[j + 1] (byte 32 is the last lane of v2)
    const e2 = v128.shuffle<u8>(e, v2, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 31);
    m = signed ? i8x16.max_s(m, i8x16.max_s(i8x16.max_s(e, o), e2)) : i8x16.max_u(m, i8x16.max_u(i8x16.max_u(e, o), e2));
  }
  v128.store(out, m);
}

/** Max pooling of 8-bit planes (signed when `signed`); same geometry as maxPoolF32. */
export function maxPool8(x: usize, signed: bool, planes: i32, win: usize, y: usize): void {
  const H = winH(win), W = winW(win), kh = winKh(win), kw = winKw(win), sh = winSh(win), sw = winSw(win);
  const dh = winDh(win), dw = winDw(win), pt = winPt(win), pl = winPl(win), OH = winOH(win), OW = winOW(win);
  // columns [owLo, owHi) have windows fully inside the row
  const owLo = insideColumnsStart(sw, pl, OW);
  const owHi = insideColumnsEnd(W, kw, sw, dw, pl, OW);
  const vec = kw == 3 && sw == 2 && dw == 1;
  for (let p = 0; p < planes; p++) {
    const src = x + <usize>p * H * W;
    const dst = y + <usize>p * OH * OW;
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * sh - pt;
      const rowsInside = h0 >= 0 && h0 + (kh - 1) * dh < H;
      if (rowsInside) {
        const out = dst + <usize>oh * OW;
        let ow = owLo;
        if (vec) {
          // 3-wide, stride-2 windows, sixteen outputs at a time (reads 33 bytes per row); a
          // last block overlapping the previous one covers the rest of the row
          for (; ow + 16 <= owHi && (ow * 2 - pl) + 33 <= W; ow += 16) maxRow16(src, h0, kh, dh, W, ow * 2 - pl, signed, out + ow);
          const o2 = owHi - 16;
          if (ow < owHi && o2 >= owLo && (o2 * 2 - pl) + 33 <= W) {
            maxRow16(src, h0, kh, dh, W, o2 * 2 - pl, signed, out + o2);
            ow = owHi;
          }
        }
        for (; ow < owHi; ow++) {
          let m: i32 = -1000;
          const w0 = ow * sw - pl;
          for (let ky = 0; ky < kh; ky++) {
            const r = src + <usize>(h0 + ky * dh) * W + w0;
            for (let kx = 0; kx < kw; kx++) m = max(m, signed ? <i32>load<i8>(r + kx * dw) : <i32>load<u8>(r + kx * dw));
          }
          store<u8>(out + ow, <u8>m);
        }
      }
      for (let ow = 0; ow < OW; ow++) {
        if (rowsInside && ow >= owLo && ow < owHi) continue;
        let m: i32 = -1000;
        for (let ky = 0; ky < kh; ky++) {
          const ih = oh * sh - pt + ky * dh;
          if (ih < 0 || ih >= H) continue;
          for (let kx = 0; kx < kw; kx++) {
            const iw = ow * sw - pl + kx * dw;
            if (iw < 0 || iw >= W) continue;
            const at = src + <usize>ih * W + iw;
            m = max(m, signed ? <i32>load<i8>(at) : <i32>load<u8>(at));
          }
        }
        store<u8>(dst + <usize>oh * OW + ow, <u8>m);
      }
    }
  }
}

/**
 * Average pooling; `countPad` 1 divides by the full window (pads included, ONNX
 * count_include_pad), 0 by the cells inside the image.
 */
export function avgPoolF32(x: usize, planes: i32, win: usize, countPad: i32, y: usize): void {
  const H = winH(win), W = winW(win), kh = winKh(win), kw = winKw(win), sh = winSh(win), sw = winSw(win);
  const pt = winPt(win), pl = winPl(win), pb = winPb(win), pr = winPr(win), OH = winOH(win), OW = winOW(win);
  for (let p = 0; p < planes; p++) {
    const src = x + ((<usize>p * H * W) << 2);
    const dst = y + ((<usize>p * OH * OW) << 2);
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        let s: f32 = 0;
        let cnt = 0;
        const h0 = oh * sh - pt, w0 = ow * sw - pl;
        for (let ky = 0; ky < kh; ky++) {
          const ih = h0 + ky;
          if (ih < 0 || ih >= H) continue;
          for (let kx = 0; kx < kw; kx++) {
            const iw = w0 + kx;
            if (iw < 0 || iw >= W) continue;
            s += load<f32>(src + ((<usize>ih * W + iw) << 2));
            cnt++;
          }
        }
        if (countPad) {
          const he = min(h0 + kh, H + pb), we = min(w0 + kw, W + pr);
          cnt = (he - h0) * (we - w0);
        }
        store<f32>(dst + ((<usize>oh * OW + ow) << 2), cnt > 0 ? s / <f32>cnt : 0);
      }
    }
  }
}

/** y[p] = mean (mode 0) or max (mode 1) of plane p of `size` floats. */
export function globalPoolF32(x: usize, planes: i32, size: i32, mode: i32, y: usize): void {
  for (let p = 0; p < planes; p++) {
    const src = x + ((<usize>p * size) << 2);
    let i = 0;
    let v = f32x4.splat(mode == 0 ? 0 : -Infinity);
    for (; i + 4 <= size; i += 4) {
      const l = v128.load(src + (<usize>i << 2));
      v = mode == 0 ? f32x4.add(v, l) : f32x4.max(v, l);
    }
    let s: f32;
    if (mode == 0) {
      s = f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
      for (; i < size; i++) s += load<f32>(src + (<usize>i << 2));
      s /= <f32>size;
    } else {
      s = max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
      for (; i < size; i++) s = max(s, load<f32>(src + (<usize>i << 2)));
    }
    store<f32>(y + (<usize>p << 2), s);
  }
}
