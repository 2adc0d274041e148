/** Test helpers over the bundled digits data set and CNN (fixtures/digits). */
import { Tensor } from '../ir/tensor.js';
import type { Model } from '../ir/graph.js';
import type { Executor } from '../exec/executor.js';
import { decodeModel } from '../onnx/decode.js';
import type { DigitsData, PipelineFixtures } from './fixtures.js';
import { runOnce } from './session.js';

/** Rows [start, end) of the digits images as one [n,1,8,8] tensor, and their labels. */
export function digitsRows(data: DigitsData, start: number, end: number): { x: Tensor; y: Uint8Array } {
  const x = data.images.slice(start * 64, end * 64);
  return { x: new Tensor('float32', x, [end - start, 1, 8, 8]), y: data.labels.slice(start, end) };
}

/** The digits set from the suites' fixtures, with its CNN decoded. */
export async function loadDigits(fixtures: PipelineFixtures): Promise<{ data: DigitsData; model: Model }> {
  const data = await fixtures.digits();
  return { data, model: decodeModel(data.model) };
}

/** Calibration feeds: the first 256 digits in batches of `size`, a new generator each call. */
export function digitsCalibration(data: DigitsData, size = 32): Generator<Record<string, Tensor>> {
  return batchesOf(digitsRows(data, 0, 256).x, size);
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
 * Accuracy of `model` on the 500 held-out digits (rows 1297..1796), run in one batch on
 * `executor`. FP32 gives 0.996.
 */
export async function testAccuracy(executor: Executor, model: Model, data: DigitsData): Promise<number> {
  const { x, y } = digitsRows(data, 1297, 1797);
  return accuracy((await runOnce(executor, model, { input: x })).logits!, y);
}
