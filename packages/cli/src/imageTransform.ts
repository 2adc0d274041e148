/**
 * Image preprocessing for calibration: bilinear resize, shorter-side resize, center
 * crop, and conversion to normalised float channels in NCHW or NHWC order.
 *
 * Example: a 4x4 image resized to 2x2 samples source points (0.5, 0.5), (0.5, 2.5),
 * (2.5, 0.5) and (2.5, 2.5): each output pixel is the mean of a 2x2 source block.
 */
import { QtkError } from '@qtk/core';
import type { RgbImage } from './imageDecode.js';

/** Float pixels, row-major, three values (R, G, B) per pixel. */
export interface FloatImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** Which channels come out, in what order: R,G,B; B,G,R; or one grey channel. */
export type ChannelOrder = 'rgb' | 'bgr' | 'gray';
/** Channels first (`[N,C,H,W]`) or last (`[N,H,W,C]`). */
export type Layout = 'nchw' | 'nhwc';

/** 8-bit pixels as floats (values unchanged, 0..255). */
export function toFloatImage(img: RgbImage): FloatImage {
  return { width: img.width, height: img.height, data: Float32Array.from(img.data) };
}

/**
 * Bilinear resize to `height` x `width` with half-pixel centres: output pixel (y, x)
 * samples source point ((y + 0.5) * inH / height - 0.5, ...), clamped to the image.
 */
export function resizeBilinear(img: FloatImage, height: number, width: number): FloatImage {
  if (img.height === height && img.width === width) return img;
  const out = new Float32Array(height * width * 3);
  const src = img.data;
  const ys = axisTaps(img.height, height);
  const xs = axisTaps(img.width, width);
  for (let y = 0; y < height; y++) {
    const [y0, y1, fy] = ys[y]!;
    for (let x = 0; x < width; x++) {
      const [x0, x1, fx] = xs[x]!;
      const a = (y0 * img.width + x0) * 3;
      const b = (y0 * img.width + x1) * 3;
      const c = (y1 * img.width + x0) * 3;
      const d = (y1 * img.width + x1) * 3;
      const o = (y * width + x) * 3;
      for (let k = 0; k < 3; k++) {
        const top = src[a + k]! + (src[b + k]! - src[a + k]!) * fx;
        const bottom = src[c + k]! + (src[d + k]! - src[c + k]!) * fx;
        out[o + k] = top + (bottom - top) * fy;
      }
    }
  }
  return { width, height, data: out };
}

/** For each output index along one axis: the two source indices and the weight of the second. */
function axisTaps(inSize: number, outSize: number): Array<[number, number, number]> {
  const taps: Array<[number, number, number]> = [];
  for (let i = 0; i < outSize; i++) {
    const s = Math.min(Math.max((i + 0.5) * (inSize / outSize) - 0.5, 0), inSize - 1);
    const i0 = Math.floor(s);
    taps.push([i0, Math.min(i0 + 1, inSize - 1), s - i0]);
  }
  return taps;
}

/** Resizes so the shorter side is `size` pixels, keeping the aspect ratio (longer side rounded). */
export function resizeShorterSide(img: FloatImage, size: number): FloatImage {
  const { width: w, height: h } = img;
  return h <= w ? resizeBilinear(img, size, Math.max(1, Math.round((w * size) / h))) : resizeBilinear(img, Math.max(1, Math.round((h * size) / w)), size);
}

/** The central `height` x `width` pixels (offsets rounded down); `file` names the image in errors. */
export function centerCrop(img: FloatImage, height: number, width: number, file: string): FloatImage {
  if (height > img.height || width > img.width) {
    throw new QtkError('E_CALIB_DATA', `image '${file}' is ${img.height}x${img.width} (HxW) after resizing; --crop ${height},${width} does not fit in it`, { file, option: 'crop' });
  }
  if (height === img.height && width === img.width) return img;
  const top = Math.floor((img.height - height) / 2);
  const left = Math.floor((img.width - width) / 2);
  const out = new Float32Array(height * width * 3);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * img.width + left) * 3;
    out.set(img.data.subarray(from, from + width * 3), y * width * 3);
  }
  return { width, height, data: out };
}

/** How pixel values become model inputs: `(pixel * scale - mean[c]) / std[c]`. */
export interface Normalisation {
  channels: ChannelOrder;
  layout: Layout;
  scale: number;
  /** One value for every channel, or one per output channel (in `channels` order). */
  mean: readonly number[];
  std: readonly number[];
}

/** Number of channels `channels` produces (3, or 1 for grey). */
export function channelCount(channels: ChannelOrder): number {
  return channels === 'gray' ? 1 : 3;
}

/**
 * Writes one image's normalised values into `out` at `offset` (C*H*W values). Grey is
 * 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601 luma).
 */
export function writeNormalised(img: FloatImage, n: Normalisation, out: Float32Array, offset: number): void {
  const c = channelCount(n.channels);
  const hw = img.width * img.height;
  const pick = n.channels === 'bgr' ? [2, 1, 0] : [0, 1, 2];
  const mean = (k: number) => n.mean.length === 1 ? n.mean[0]! : n.mean[k]!;
  const std = (k: number) => n.std.length === 1 ? n.std[0]! : n.std[k]!;
  for (let p = 0; p < hw; p++) {
    const r = img.data[p * 3]!;
    const g = img.data[p * 3 + 1]!;
    const b = img.data[p * 3 + 2]!;
    for (let k = 0; k < c; k++) {
      const pixel = n.channels === 'gray' ? 0.299 * r + 0.587 * g + 0.114 * b : img.data[p * 3 + pick[k]!]!;
      const v = (pixel * n.scale - mean(k)) / std(k);
      out[offset + (n.layout === 'nchw' ? k * hw + p : p * c + k)] = v;
    }
  }
}
