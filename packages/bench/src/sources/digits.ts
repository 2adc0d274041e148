/**
 * The digits CNN and data set of fixtures/digits as a model source: calibration on 256
 * training images, accuracy on the 500-image test split (rows 1297..1796).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { QtkError, Tensor } from '@qtk/core';
import type { Feeds } from '../feeds.js';
import { modelFromFile, type ModelSource } from '../modelSource.js';

const ROWS = 1797;
const TRAIN_END = 1297;
const PIXELS = 64;

/** Rows [start, end) of the digits images in batches of `size`. */
function imageBatches(x: Float32Array, start: number, end: number, size: number): Array<{ feeds: Feeds; start: number; end: number }> {
  const out: Array<{ feeds: Feeds; start: number; end: number }> = [];
  for (let i = start; i < end; i += size) {
    const j = Math.min(end, i + size);
    out.push({ feeds: { input: new Tensor('float32', x.slice(i * PIXELS, j * PIXELS), [j - i, 1, 8, 8]) }, start: i, end: j });
  }
  return out;
}

/** The digits model source over the fixture folder `dir` (holding digits_cnn.onnx and the .bin files). */
export function digitsSource(dir: string, name = 'digits'): ModelSource {
  let data: Promise<{ x: Float32Array; y: Uint8Array }> | undefined;
  const read = () => (data ??= (async () => {
    const xFile = path.join(dir, 'digits_x_f32_n1797_1x8x8.bin');
    const yFile = path.join(dir, 'digits_y_u8_n1797.bin');
    const [xb, yb] = await Promise.all([fs.readFile(xFile), fs.readFile(yFile)]);
    if (xb.byteLength !== ROWS * PIXELS * 4) throw new QtkError('E_IO', `${xFile} has ${xb.byteLength} bytes; ${ROWS * PIXELS * 4} expected`, { file: xFile });
    if (yb.byteLength !== ROWS) throw new QtkError('E_IO', `${yFile} has ${yb.byteLength} labels; ${ROWS} expected`, { file: yFile });
    return { x: new Float32Array(xb.buffer.slice(xb.byteOffset, xb.byteOffset + xb.byteLength)), y: new Uint8Array(yb) };
  })());
  return modelFromFile(name, path.join(dir, 'digits_cnn.onnx'), {
    description: 'digits CNN (fixtures/digits), 8x8 grey images, 10 classes',
    inputs: { input: { range: [0, 1] } },
    async calibration() {
      const { x } = await read();
      return imageBatches(x, 0, 256, 32).map((b) => b.feeds);
    },
    async labelled() {
      const { x, y } = await read();
      return {
        description: `digits test split, ${ROWS - TRAIN_END} images`,
        output: 'logits',
        batches: imageBatches(x, TRAIN_END, ROWS, 100).map((b) => ({ feeds: b.feeds, labels: y.slice(b.start, b.end) })),
      };
    },
  });
}
