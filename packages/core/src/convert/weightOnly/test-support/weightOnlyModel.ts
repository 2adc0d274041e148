/** A small model for weight-only tests: MatMul, Gemm (transB, bias) and Gather over constant weights. */
import { createGraph, createModel, type Model } from '../../../ir/graph.js';
import { Tensor } from '../../../ir/tensor.js';
import type { WeightOnlyOptions } from '../types.js';

/** Smooth deterministic values of length `n`. */
export const ramp = (n: number, f = 0.37) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * f) * (1 + (i % 5)));

/** Uniform int4 symmetric blocks of 16. */
export const OPTS: WeightOnlyOptions = { weightType: 'int4', blockSize: 16, symmetric: true, scheme: 'uniform', codebookSize: 256 };

/** x → MatMul(w1) → Gemm(w2, transB, bias) → Conv-free tail; e (embedding) → Gather. */
export function weightOnlyModel(opset = 17, extra?: string): Model {
  const g = createGraph('g');
  g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [1, 32] } });
  g.inputs.push({ name: 'ids', type: { kind: 'tensor', dtype: 'int64', shape: [2] } });
  g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: [1, 8] } });
  g.outputs.push({ name: 'emb', type: { kind: 'tensor', dtype: 'float32', shape: [2, 32] } });
  g.initializers.set('w1', new Tensor('float32', ramp(512), [32, 16]));
  g.initializers.set('w2', new Tensor('float32', ramp(128, 0.7), [8, 16]));
  g.initializers.set('b2', new Tensor('float32', ramp(8), [8]));
  g.initializers.set('e', new Tensor('float32', ramp(320, 0.11), [10, 32]));
  g.nodes.push({ name: 'mm', opType: 'MatMul', domain: '', inputs: ['x', 'w1'], outputs: ['h'], attributes: [] });
  g.nodes.push({ name: 'fc', opType: 'Gemm', domain: '', inputs: ['h', 'w2', 'b2'], outputs: [extra ? 'z' : 'y'], attributes: [{ name: 'transB', value: { kind: 'int', value: 1 } }] });
  if (extra) g.nodes.push({ name: 'tail', opType: extra, domain: '', inputs: ['z'], outputs: ['y'], attributes: [] });
  g.nodes.push({ name: 'lookup', opType: 'Gather', domain: '', inputs: ['e', 'ids'], outputs: ['emb'], attributes: [] });
  return createModel(g, opset);
}
