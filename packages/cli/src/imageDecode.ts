/**
 * PNG and JPEG bytes to 8-bit RGB pixels, told apart by their first bytes (not the file
 * name). Alpha is dropped; grey images come out with R = G = B; 16-bit PNGs are scaled
 * to 8 bits. The header's width and height are checked against the memory budget before
 * decoding (see `decodedImageBytes`).
 *
 * Example: a 2x1 PNG with pixels (255,0,0) and (0,0,255) decodes to
 * `{ width: 2, height: 1, data: [255,0,0, 0,0,255] }`.
 */
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { QtkError, checkTensorBytes, resolveMaxTensorBytes } from '@qtk/core';
import { jpegSize, pngSize } from './imageHeader.js';

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

/**
 * Bytes the largest buffer made from a `width`x`height` image takes: its float32 RGB copy
 * (12 bytes a pixel), larger than the decoder's RGBA output and the 8-bit RGB pixels.
 */
export function decodedImageBytes(width: number, height: number): number {
  return width * height * 3 * 4;
}

/**
 * Decodes PNG or JPEG bytes; anything else, or a corrupt file, is E_CALIB_DATA naming
 * `file`. An image whose header declares more pixels than `maxTensorBytes` (default
 * `DEFAULT_MAX_TENSOR_BYTES`) allows is E_MEMORY_BUDGET, before any decoding.
 */
export function decodeImage(bytes: Uint8Array, file: string, maxTensorBytes?: number): RgbImage {
  const budget = resolveMaxTensorBytes(maxTensorBytes);
  const isPng = startsWith(bytes, PNG_MAGIC);
  const isJpeg = !isPng && startsWith(bytes, JPEG_MAGIC);
  if (!isPng && !isJpeg) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new QtkError('E_CALIB_DATA', `image '${file}' is neither PNG nor JPEG (it starts with bytes ${head || 'nothing: the file is empty'})`, { file, offset: 0 });
  }
  const size = isPng ? pngSize(bytes) : jpegSize(bytes);
  if (size) {
    const { width, height } = size;
    checkTensorBytes(decodedImageBytes(width, height), budget, `image '${file}' of ${width}x${height} (${width * height} pixels, decoded as float32 RGB)`, { file });
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
