/** Loads the bundled digits data set and CNN (fixtures/digits) for tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Tensor, type Model } from '@qtk/core';
import { runOnce } from './session.js';

const dir = fileURLToPath(new URL('../../../../fixtures/digits/', import.meta.url));

/** Path of the digits CNN (input 'input' [N,1,8,8], output 'logits' [N,10]). */
export const DIGITS_MODEL = `${dir}digits_cnn.onnx`;

/** Rows [start, end) of the digits images as one [n,1,8,8] tensor, and their labels. */
export function digitsRows(start: number, end: number): { x: Tensor; y: Uint8Array } {
  const xAll = readFileSync(`${dir}digits_x_f32_n1797_1x8x8.bin`);
  const yAll = readFileSync(`${dir}digits_y_u8_n1797.bin`);
  const x = new Float32Array(xAll.buffer.slice(xAll.byteOffset + start * 256, xAll.byteOffset + end * 256));
  return { x: new Tensor('float32', x, [end - start, 1, 8, 8]), y: new Uint8Array(yAll.subarray(start, end)) };
}

/** Splits an [n, ...] tensor into batches of `size` along axis 0. */
export function* batchesOf(x: Tensor, size: number, input = 'input'): Generator<Record<string, Tensor>> {
  const per = x.size / x.dims[0]!;
  const data = x.data as Float32Array;
  for (let i = 0; i < x.dims[0]!; i += size) {
    const n = Math.min(size, x.dims[0]! - i);
    yield { [input]: new Tensor('float32', data.slice(i * per, (i + n) * per), [n, ...x.dims.slice(1)]) };
  }
}

/** Fraction of rows whose argmax over the last axis equals the label. */
export function accuracy(logits: Tensor, y: Uint8Array): number {
  const k = logits.dims[logits.dims.length - 1]!;
  const d = logits.data as Float32Array;
  let ok = 0;
  for (let r = 0; r < y.length; r++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (d[r * k + j]! > d[r * k + best]!) best = j;
    if (best === y[r]) ok++;
  }
  return ok / y.length;
}

/**
 * Accuracy of `model` on the 500 held-out digits (rows 1297..1796), run in one batch in
 * onnxruntime-node. FP32 gives 0.996.
 */
export async function testAccuracy(model: Model): Promise<number> {
  const { x, y } = digitsRows(1297, 1797);
  return accuracy((await runOnce(model, { input: x })).logits!, y);
}
