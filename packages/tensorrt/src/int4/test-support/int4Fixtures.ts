/**
 * Models, data and measures for the INT4 tests and the INT4 bench: a MatMul whose input has
 * outlier channels, an exact onnxruntime executor, random token batches for the BERT-like encoder, and the output SQNR of a
 * quantized model against its float model on held-out batches.
 */
import { createGraph, createModel, Tensor, type Executor, type Feeds, type Model } from '@qtk/core';
import { Rng } from '@qtk/models';
import * as ort from 'onnxruntime-node';
import { createOrtSession } from '@qtk/onnxruntime/node';

/**
 * onnxruntime-node with graph optimizations off. With them on, onnxruntime's CPU provider fuses
 * DequantizeLinear(int4 blocks) + MatMul into MatMulNBits, whose kernel also quantizes the
 * input: outputs then differ from float activations times dequantized weights (what TensorRT's
 * weight-only INT4 computes). Off, every op runs as the ONNX spec says.
 */
export const exactOrt: Executor = {
  name: 'onnxruntime-node (graph optimizations off)',
  createSession: (model, options) => createOrtSession(ort as unknown as Parameters<typeof createOrtSession>[0], model, { ...options, ortOptions: { graphOptimizationLevel: 'disabled' } }),
};

/** x [T, K] → MatMul(w [K, N]) → y, opset 17. */
export function matmulModel(w: Float32Array, k: number, n: number): Model {
  const g = createGraph('g');
  g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: ['T', k] } });
  g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: ['T', n] } });
  g.initializers.set('w', new Tensor('float32', w, [k, n]));
  g.nodes.push({ name: 'mm', opType: 'MatMul', domain: '', inputs: ['x', 'w'], outputs: ['y'], attributes: [] });
  return createModel(g, 17);
}

/** Normal rows [t, k] whose channels in `outliers` are `gain` times larger. */
export function outlierRows(seed: number, t: number, k: number, outliers: readonly number[], gain: number): Float32Array {
  const x = new Rng(seed).normalArray(t * k);
  for (let i = 0; i < t; i++) for (const c of outliers) x[i * k + c]! *= gain;
  return x;
}

/** `count` batches of uniformly random token ids (and a full attention mask) for the BERT-like encoder. */
export function tokenBatches(seed: number, count: number, batch: number, seq: number, vocab: number): Feeds[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => ({
    input_ids: Tensor.int64(Array.from({ length: batch * seq }, () => Math.floor(rng.uniform() * vocab)), [batch, seq]),
    attention_mask: Tensor.int64(Array.from({ length: batch * seq }, () => 1), [batch, seq]),
  }));
}

/** SQNR in dB of `quantized`'s output against `float`'s over held-out batches (shared with the other backends' tests). */
export { outputSqnr } from '@qtk/core/testing';
