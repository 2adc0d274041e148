/** Test helper: a seeded float32 tensor with values in [-1, 1). */
import { Tensor } from '../ir/tensor.js';

/** Deterministic float32 tensor of `dims` from `seed` (LCG). */
export function randomTensor(dims: number[], seed: number): Tensor {
  let s = seed >>> 0;
  const d = new Float32Array(dims.reduce((a, b) => a * b, 1)).map(() => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1);
  return new Tensor('float32', d, dims);
}
