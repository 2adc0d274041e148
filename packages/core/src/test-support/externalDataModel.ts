/**
 * Test helper: a tiny ONNX model (`y = x · w`, w float32 [4, 3]) whose weight lives in an
 * external data file, with the external_data entries given as the test wants them, so
 * tests can point them at symlinks, FIFOs, folders or nonsense offsets and lengths.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { onnxTypes } from '../onnx/schema.js';

/** The weight's bytes as the model's external data file holds them: 12 float32 values. */
export const WEIGHT_BYTES = new Uint8Array(Float32Array.from({ length: 12 }, (_, i) => (i + 1) * 0.25).buffer);

/** external_data entries of the weight: `location` and, as strings, `offset` and `length`. */
export interface ExternalEntries {
  location: string;
  offset?: string;
  length?: string;
}

/** Bytes of the model; its weight `w` takes its data from `entries`. */
export function modelWithExternalData(entries: ExternalEntries): Uint8Array {
  const externalData = Object.entries(entries).filter(([, v]) => v !== undefined).map(([key, value]) => ({ key, value }));
  const tensor = (name: string, dims: Array<number | string>) => ({
    name, type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  });
  return onnxTypes.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'g',
      node: [{ name: 'mm', opType: 'MatMul', input: ['x', 'w'], output: ['y'] }],
      initializer: [{ name: 'w', dims: [4, 3], dataType: 1, dataLocation: 1, externalData }],
      input: [tensor('x', ['N', 4])],
      output: [tensor('y', ['N', 3])],
    },
  }).finish();
}

/**
 * Writes `model.onnx` into `dir` with its weight at `entries` (default: all of `w.bin`),
 * and, unless `data` is false, `w.bin` holding the weight. Returns the model's path.
 */
export function writeModelWithExternalData(dir: string, entries: ExternalEntries = { location: 'w.bin' }, data = true): string {
  if (data) writeFileSync(path.join(dir, 'w.bin'), WEIGHT_BYTES);
  const file = path.join(dir, 'model.onnx');
  writeFileSync(file, modelWithExternalData(entries));
  return file;
}
