/**
 * Test helpers: tiny PNG and JPEG files encoded in memory from a pixel function, for
 * the image calibration tests.
 */
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';

/** A pixel's R, G, B at row `y`, column `x`. */
export type PixelFn = (y: number, x: number) => readonly [number, number, number];

function rgba(height: number, width: number, pixel: PixelFn): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(y, x);
      data.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return data;
}

/** PNG bytes of a `height` x `width` image (8-bit RGBA, opaque). */
export function encodePng(height: number, width: number, pixel: PixelFn): Uint8Array {
  const png = new pngjs.PNG({ width, height });
  png.data = rgba(height, width, pixel);
  return pngjs.PNG.sync.write(png);
}

/** JPEG bytes of a `height` x `width` image at quality 100. */
export function encodeJpeg(height: number, width: number, pixel: PixelFn): Uint8Array {
  return jpeg.encode({ data: rgba(height, width, pixel), width, height }, 100).data;
}
