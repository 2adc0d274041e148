import { describe, expect, it } from 'vitest';
import { centerCrop, resizeBilinear, resizeShorterSide, writeNormalised, type FloatImage, type Normalisation } from './imageTransform.js';
import { catchQtkError } from './test-support/qtkErrors.js';

/** A float image whose R channel is `r(y, x)` and G, B are 0. */
function image(height: number, width: number, r: (y: number, x: number) => number): FloatImage {
  const data = new Float32Array(height * width * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[(y * width + x) * 3] = r(y, x);
  return { width, height, data };
}
const red = (img: FloatImage) => Array.from({ length: img.width * img.height }, (_, p) => img.data[p * 3]!);

describe('resizing and cropping', () => {
  it('bilinear 4x4 -> 2x2 samples the half-pixel centres (exact on a linear ramp)', () => {
    // source points (0.5, 0.5), (0.5, 2.5), (2.5, 0.5), (2.5, 2.5) of r = 10y + x
    const out = resizeBilinear(image(4, 4, (y, x) => 10 * y + x), 2, 2);
    expect([out.height, out.width]).toEqual([2, 2]);
    expect(red(out)).toEqual([5.5, 7.5, 25.5, 27.5]);
  });

  it('bilinear 1x2 -> 1x4 interpolates inside and clamps at the edges', () => {
    // x' = (x + 0.5) / 2 - 0.5: -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1)
    expect(red(resizeBilinear(image(1, 2, (_y, x) => [0, 100][x]!), 1, 4))).toEqual([0, 25, 75, 100]);
  });

  it('bilinear mixes all three channels the same way', () => {
    const img: FloatImage = { width: 2, height: 1, data: Float32Array.of(0, 10, 20, 100, 110, 120) };
    expect(Array.from(resizeBilinear(img, 1, 4).data.subarray(3, 6))).toEqual([25, 35, 45]);
  });

  it('shorter side to S keeps the aspect ratio; center crop takes the middle', () => {
    // 4 high x 8 wide, r = x; shorter side 2 gives 2x4 with columns at x = 0.5, 2.5, 4.5, 6.5
    const small = resizeShorterSide(image(4, 8, (_y, x) => x), 2);
    expect([small.height, small.width]).toEqual([2, 4]);
    expect(red(small)).toEqual([0.5, 2.5, 4.5, 6.5, 0.5, 2.5, 4.5, 6.5]);
    const crop = centerCrop(small, 2, 2, 'x.png');
    expect(red(crop)).toEqual([2.5, 4.5, 2.5, 4.5]);
    const tall = resizeShorterSide(image(9, 3, () => 1), 2);
    expect([tall.height, tall.width]).toEqual([6, 2]);
  });

  it('a crop larger than the image is E_CALIB_DATA naming the file and the sizes', () => {
    const err = catchQtkError(() => centerCrop(image(4, 6, () => 0), 5, 5, 'imgs/a.png'));
    expect(err.message).toBe("image 'imgs/a.png' is 4x6 (HxW) after resizing; --crop 5,5 does not fit in it");
  });
});

describe('normalisation and layout', () => {
  // one pixel (255, 128, 0) and one (0, 0, 255)
  const img: FloatImage = { width: 2, height: 1, data: Float32Array.of(255, 128, 0, 0, 0, 255) };
  const norm = (n: Partial<Normalisation>): Normalisation => ({ channels: 'rgb', layout: 'nchw', scale: 1 / 255, mean: [0], std: [1], ...n });
  const run = (n: Partial<Normalisation>, size: number) => {
    const out = new Float32Array(size + 1).fill(-99);
    writeNormalised(img, norm(n), out, 1);
    return Array.from(out);
  };

  it('scale, ImageNet mean and std per channel, NCHW planes', () => {
    const out = run({ mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }, 6);
    expect(out[0]).toBe(-99); // written from the offset on
    const want = [(1 - 0.485) / 0.229, (0 - 0.485) / 0.229, (128 / 255 - 0.456) / 0.224, (0 - 0.456) / 0.224, (0 - 0.406) / 0.225, (1 - 0.406) / 0.225];
    out.slice(1).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
  });

  it('NHWC interleaves the channels per pixel', () => {
    expect(run({ layout: 'nhwc', scale: 1 }, 6).slice(1)).toEqual([255, 128, 0, 0, 0, 255]);
  });

  it('BGR planes come B, G, R; the mean is given in that order', () => {
    expect(run({ channels: 'bgr', scale: 1, mean: [1, 2, 3] }, 6).slice(1)).toEqual([-1, 254, 126, -2, 252, -3]);
  });

  it('gray is 0.299 R + 0.587 G + 0.114 B, then scaled', () => {
    const out = run({ channels: 'gray' }, 2).slice(1);
    expect(out[0]).toBeCloseTo((0.299 * 255 + 0.587 * 128) / 255, 5);
    expect(out[1]).toBeCloseTo((0.114 * 255) / 255, 5);
  });
});
