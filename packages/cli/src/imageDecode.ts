/**
 * PNG and JPEG bytes to 8-bit RGB pixels, told apart by their first bytes (not the file
 * name). Alpha is dropped; grey images come out with R = G = B; 16-bit PNGs are scaled
 * to 8 bits.
 *
 * Example: a 2x1 PNG with pixels (255,0,0) and (0,0,255) decodes to
 * `{ width: 2, height: 1, data: [255,0,0, 0,0,255] }`.
 */
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { QtkError } from '@qtk/core';

/** Decoded pixels, row-major, three bytes (R, G, B) per pixel. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

/** File name endings read as images. */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg'];

/** True when `name` ends in .png, .jpg or .jpeg (any case). */
export function isImageName(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((e) => lower.endsWith(e));
}

const startsWith = (bytes: Uint8Array, magic: readonly number[]) => magic.every((b, i) => bytes[i] === b);

/** Decodes PNG or JPEG bytes; anything else, or a corrupt file, is E_CALIB_DATA naming `file`. */
export function decodeImage(bytes: Uint8Array, file: string): RgbImage {
  const isPng = startsWith(bytes, PNG_MAGIC);
  const isJpeg = !isPng && startsWith(bytes, JPEG_MAGIC);
  if (!isPng && !isJpeg) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new QtkError('E_CALIB_DATA', `image '${file}' is neither PNG nor JPEG (it starts with bytes ${head || 'nothing: the file is empty'})`, { file, offset: 0 });
  }
  try {
    return isPng ? decodePng(bytes) : decodeJpeg(bytes);
  } catch (e) {
    throw new QtkError('E_CALIB_DATA', `cannot decode ${isPng ? 'PNG' : 'JPEG'} image '${file}': ${(e as Error).message}`, { file }, { cause: e });
  }
}

function decodePng(bytes: Uint8Array): RgbImage {
  const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const { width, height } = png;
  const rgba = png.data;
  const data = new Uint8Array(width * height * 3);
  for (let p = 0, q = 0; p < width * height; p++, q += 4) {
    data[p * 3] = rgba[q]!;
    data[p * 3 + 1] = rgba[q + 1]!;
    data[p * 3 + 2] = rgba[q + 2]!;
  }
  return { width, height, data };
}

function decodeJpeg(bytes: Uint8Array): RgbImage {
  const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, tolerantDecoding: false });
  if (img.data.length !== img.width * img.height * 3) throw new Error(`decoder returned ${img.data.length} bytes for ${img.width}x${img.height} pixels`);
  return { width: img.width, height: img.height, data: img.data };
}
