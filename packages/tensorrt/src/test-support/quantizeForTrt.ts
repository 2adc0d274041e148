/** Test helpers: quantize with the TensorRT backend on onnxruntime-node, and run the result there. */
import { quantizeModel, type Feeds, type Model, type QuantizeReport, type StaticQuantizeOptions } from '@qtk/core';
import { runOnce } from '@qtk/core/testing';
import { ortNode } from '@qtk/onnxruntime/node';
import { tensorrtBackend } from '../backend.js';

/** Quantizes `model` with the TensorRT backend's defaults (plus `options`), calibrated on `calibration` with onnxruntime-node. */
export async function quantizeForTrt(model: Model, calibration: Feeds[], options: StaticQuantizeOptions = {}): Promise<{ model: Model; report: QuantizeReport }> {
  return quantizeModel(model, options, { backend: tensorrtBackend, executor: ortNode, calibration });
}

/** Output SQNR (dB) of `quantized` against `float` on `feeds`, both run by onnxruntime-node, over every float output. */
export async function outputSqnrDb(float: Model, quantized: Model, feeds: Feeds): Promise<number> {
  const [a, b] = [await runOnce(ortNode, float, feeds), await runOnce(ortNode, quantized, feeds)];
  let signal = 0;
  let noise = 0;
  for (const [name, ref] of Object.entries(a)) {
    if (ref.dtype !== 'float32') continue;
    const got = b[name]!;
    for (let i = 0; i < ref.size; i++) {
      signal += ref.get(i) ** 2;
      noise += (ref.get(i) - got.get(i)) ** 2;
    }
  }
  return 10 * Math.log10(signal / noise);
}
