/** The bundled digits set for this package's tests: its path, rows, batches, and accuracy in onnxruntime-node. */
import type { Model, Tensor } from '@qtk/core';
import { batchesOf, digitsRows as rowsOf, testAccuracy as accuracyOn } from '@qtk/core/testing';
import { DIGITS_MODEL, readDigits } from '@qtk/models/testing';
import { ortNode } from '../node.js';

export { DIGITS_MODEL, batchesOf };

const data = readDigits();

/** Rows [start, end) of the digits images as one [n,1,8,8] tensor, and their labels. */
export function digitsRows(start: number, end: number): { x: Tensor; y: Uint8Array } {
  return rowsOf(data, start, end);
}

/** Accuracy of `model` on the 500 held-out digits, run in onnxruntime-node (FP32 0.996). */
export function testAccuracy(model: Model): Promise<number> {
  return accuracyOn(ortNode, model, data);
}
