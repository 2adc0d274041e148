/**
 * Test helpers for graph rewrites: seeded inputs, and a check that onnxruntime-node gives
 * the same outputs for a model before and after a rewrite.
 */
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';
import type { Model } from '../../ir/graph.js';
import { encodeModel } from '../../onnx/encode.js';

/** `n` seeded floats in [-4, 4). */
export function seeded(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 8 - 4);
}

/** The first output of `m` in onnxruntime-node for input `x` of shape `dims`. */
export async function outputsOf(m: Model, x: Float32Array, dims: number[]): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(encodeModel(m).model);
  const r = await s.run({ x: new ort.Tensor('float32', x, dims) });
  return r[m.graph.outputs[0]!.name]!.data as Float32Array;
}

/** Asserts that `a` and `b` give the same output (1e-5 relative) on one seeded input of shape `dims`. */
export async function expectSameOutputs(a: Model, b: Model, dims: number[]): Promise<void> {
  const x = seeded(dims.reduce((p, q) => p * q, 1), 5);
  const [p, q] = [await outputsOf(a, x, dims), await outputsOf(b, x, dims)];
  expect(q.length).toBe(p.length);
  for (let i = 0; i < p.length; i++) expect(Math.abs(p[i]! - q[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(p[i]!)));
}
