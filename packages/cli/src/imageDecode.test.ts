import { describe, expect, it } from 'vitest';
import { decodeImage, isImageName } from './imageDecode.js';
import { encodeJpeg, encodePng } from './test-support/images.js';
import { catchQtkError } from './test-support/qtkErrors.js';

describe('decodeImage', () => {
  it('decodes a PNG to RGB bytes, row-major, alpha dropped', () => {
    const png = encodePng(2, 2, (y, x) => [y * 100 + x, 10 + x, 200 - y]);
    const img = decodeImage(png, 'a.png');
    expect([img.width, img.height]).toEqual([2, 2]);
    expect(Array.from(img.data)).toEqual([0, 10, 200, 1, 11, 200, 100, 10, 199, 101, 11, 199]);
  });

  it('decodes a JPEG (flat colours survive quality 100 within 2 levels)', () => {
    const jpg = encodeJpeg(8, 16, (_y, x) => (x < 8 ? [200, 40, 90] : [10, 220, 130]));
    const img = decodeImage(jpg, 'a.jpg');
    expect([img.width, img.height]).toEqual([16, 8]);
    const at = (y: number, x: number) => Array.from(img.data.subarray((y * 16 + x) * 3, (y * 16 + x) * 3 + 3));
    for (const [got, want] of [[at(3, 2), [200, 40, 90]], [at(5, 12), [10, 220, 130]]] as const) {
      got.forEach((v, k) => expect(Math.abs(v - want[k]!)).toBeLessThanOrEqual(2));
    }
  });

  it('tells PNG from JPEG by content, not by name', () => {
    expect(decodeImage(encodePng(1, 1, () => [1, 2, 3]), 'named.jpg').data).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('a PNG whose data is corrupt is E_CALIB_DATA naming the file', () => {
    const png = encodePng(4, 4, () => [9, 9, 9]);
    const broken = png.slice(0, png.length - 30);
    const e = catchQtkError(() => decodeImage(broken, 'imgs/3.png'));
    expect(e.code).toBe('E_CALIB_DATA');
    expect(e.where.file).toBe('imgs/3.png');
    expect(e.message).toMatch(/^cannot decode PNG image 'imgs\/3\.png': /);
  });

  it('a truncated JPEG is E_CALIB_DATA naming the file', () => {
    const jpg = encodeJpeg(16, 16, (y, x) => [x * 10, y * 10, 0]);
    const e = catchQtkError(() => decodeImage(jpg.slice(0, 40), 'b.jpg'));
    expect(e.code).toBe('E_CALIB_DATA');
    expect(e.message).toMatch(/^cannot decode JPEG image 'b\.jpg': /);
  });

  it('bytes that are neither PNG nor JPEG are E_CALIB_DATA showing the first bytes', () => {
    const e = catchQtkError(() => decodeImage(new TextEncoder().encode('GIF89a...'), 'c.png'));
    expect(e.message).toBe("image 'c.png' is neither PNG nor JPEG (it starts with bytes 47 49 46 38)");
    expect(catchQtkError(() => decodeImage(new Uint8Array(0), 'd.png')).message).toContain('the file is empty');
  });

  it('image names are .png, .jpg and .jpeg in any case', () => {
    expect(['a.PNG', 'b.jpg', 'c.JPEG', 'd.npy', 'e.gif'].map(isImageName)).toEqual([true, true, true, false, false]);
  });
});
