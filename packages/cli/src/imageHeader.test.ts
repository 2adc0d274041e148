import { describe, expect, it } from 'vitest';
import { decodeImage } from './imageDecode.js';
import { jpegSize, pngSize } from './imageHeader.js';
import { encodeJpeg, encodePng } from './test-support/images.js';
import { catchQtkError } from './test-support/qtkErrors.js';

/** The signature and IHDR chunk of a `width`x`height` 8-bit grey PNG, written by hand, and nothing more. */
function pngHeader(width: number, height: number): Uint8Array {
  const b = Buffer.alloc(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  b.set([8, 0, 0, 0, 0], 24); // bit depth 8, grey; the CRC is left zero: only the header is read
  return new Uint8Array(b);
}

/** SOI, an APP0 segment, a start-of-frame segment (`marker`) declaring `width`x`height` grey, EOI. */
function jpegHeader(marker: number, width: number, height: number): Uint8Array {
  return Uint8Array.from([
    0xff, 0xd8,
    0xff, 0xe0, 0, 6, 0x4a, 0x46, 0x49, 0x46, // APP0 of 4 bytes, skipped by its length
    0xff, marker, 0, 11, 8, height >> 8, height & 255, width >> 8, width & 255, 1, 1, 0x11, 0,
    0xff, 0xd9,
  ]);
}

describe('image dimensions from the header', () => {
  it('pngSize reads IHDR of a real PNG', () => {
    expect(pngSize(encodePng(5, 3, () => [0, 0, 0]))).toEqual({ width: 3, height: 5 });
  });

  it('jpegSize reads the frame of a real JPEG', () => {
    expect(jpegSize(encodeJpeg(8, 24, () => [0, 0, 0]))).toEqual({ width: 24, height: 8 });
  });

  it.each([[0xc0, 'SOF0'], [0xc2, 'SOF2']])('jpegSize reads a %s (%s) frame after other segments', (marker) => {
    expect(jpegSize(jpegHeader(marker, 30000, 20000))).toEqual({ width: 30000, height: 20000 });
  });

  it('headers cut short give no size', () => {
    expect(pngSize(pngHeader(10, 10).subarray(0, 20))).toBeUndefined();
    expect(jpegSize(jpegHeader(0xc0, 10, 10).subarray(0, 16))).toBeUndefined();
  });
});

describe('decodeImage refuses images over the memory budget before decoding', () => {
  it('a 30000x30000 PNG header is E_MEMORY_BUDGET naming the file and the pixel count', () => {
    const e = catchQtkError(() => decodeImage(pngHeader(30000, 30000), 'calib/huge.png'));
    expect(e.code).toBe('E_MEMORY_BUDGET');
    expect(e.where.file).toBe('calib/huge.png');
    expect(e.message).toContain("image 'calib/huge.png' of 30000x30000 (900000000 pixels, decoded as float32 RGB) needs 10.1 GiB");
  });

  it('a 30000x30000 progressive JPEG header is E_MEMORY_BUDGET', () => {
    expect(catchQtkError(() => decodeImage(jpegHeader(0xc2, 30000, 30000), 'huge.jpg')).code).toBe('E_MEMORY_BUDGET');
  });

  it('the budget argument moves the limit: 4x4 needs 192 bytes', () => {
    const png = encodePng(4, 4, () => [1, 2, 3]);
    expect(catchQtkError(() => decodeImage(png, 'a.png', 191)).code).toBe('E_MEMORY_BUDGET');
    expect(decodeImage(png, 'a.png', 192).width).toBe(4);
  });
});
