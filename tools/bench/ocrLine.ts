/**
 * One rendered text line of the ocr-lines fixtures (48x320 grey pixels, line after line in
 * one uint8 file) as PP-OCRv4 rec's input: [1, 3, 48, 320], (pixel/255 - 0.5)/0.5 on each
 * of the three channels.
 */
import { Tensor } from '@qtk/core';

/** Pixels per line. */
export const LINE_PIXELS = 48 * 320;

/** Line `i` of `px` as a [1, 3, 48, 320] tensor. */
export function lineTensor(px: Uint8Array, i: number): Tensor {
  const d = new Float32Array(3 * LINE_PIXELS);
  const j0 = i * LINE_PIXELS;
  for (let c = 0; c < 3; c++) for (let j = 0; j < LINE_PIXELS; j++) d[c * LINE_PIXELS + j] = (px[j0 + j]! / 255 - 0.5) / 0.5;
  return new Tensor('float32', d, [1, 3, 48, 320]);
}
