/**
 * A small FP32 model whose Conv/MatMul outputs have column counts that are not multiples of 8
 * and few columns, each large enough that a 2-thread session splits it: a Conv of 1073 output
 * columns, a depthwise Conv (channel multiplier 2) over them, a stride-6 Conv of 35 columns,
 * a small depthwise Conv (not split), and on a second input a MatMul of 13 columns over 128
 * rows and a Gemm of 21 columns (not split).
 */
import { createGraph, createModel, Tensor as CoreTensor, type Model } from '@qtk/core';
import { Tensor } from '../tensor.js';
import { Rand } from './reference.js';

const X_DIMS = [1, 6, 37, 29], Z_DIMS = [128, 333];

/** The model (fresh on each call: sessions rewrite graphs in place). */
export function oddShapesModel(): Model {
  const r = new Rand(11);
  const g = createGraph('odd');
  const init = (name: string, dims: number[], scale = 0.3) => {
    g.initializers.set(name, new CoreTensor('float32', r.f32(dims.reduce((a, b) => a * b, 1), -scale, scale), dims));
    return name;
  };
  g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: X_DIMS } });
  g.inputs.push({ name: 'z', type: { kind: 'tensor', dtype: 'float32', shape: Z_DIMS } });
  type Attr = { name: string; value: { kind: 'ints'; value: number[] } | { kind: 'int'; value: number } };
  const ints = (name: string, value: number[]): Attr => ({ name, value: { kind: 'ints', value } });
  const int = (name: string, value: number): Attr => ({ name, value: { kind: 'int', value } });
  const node = (opType: string, inputs: string[], output: string, attributes: Attr[] = []) => {
    g.nodes.push({ name: output, opType, domain: '', inputs, outputs: [output], attributes });
    return output;
  };
  const pad1 = ints('pads', [1, 1, 1, 1]);
  let a = node('Conv', ['x', init('w1', [40, 6, 3, 3]), init('b1', [40])], 'c1', [pad1]);
  a = node('Relu', [a], 'r1');
  a = node('Conv', [a, init('wd', [80, 1, 3, 3]), init('bd', [80])], 'd1', [pad1, int('group', 40)]);
  a = node('Conv', [a, init('w2', [64, 80, 3, 3], 0.05), init('b2', [64])], 'c2', [pad1, ints('strides', [6, 6])]);
  a = node('Relu', [a], 'r2');
  a = node('Conv', [a, init('w3', [64, 1, 3, 3]), init('b3', [64])], 'c3', [pad1, int('group', 64)]);
  node('Flatten', [a], 'y1');
  let b = node('MatMul', ['z', init('w4', [333, 13], 0.1)], 'm1');
  b = node('Relu', [b], 'r4');
  node('Gemm', [b, init('w5', [21, 13]), init('b5', [21])], 'y2', [int('transB', 1)]);
  g.outputs.push({ name: 'y1' }, { name: 'y2' });
  return createModel(g, 17);
}

/** Seeded feeds of the model. */
export function oddShapesFeeds(seed: number): Record<string, Tensor> {
  const r = new Rand(seed);
  const n = (d: number[]) => d.reduce((p, q) => p * q, 1);
  return { x: new Tensor('float32', r.f32(n(X_DIMS)), X_DIMS), z: new Tensor('float32', r.f32(n(Z_DIMS)), Z_DIMS) };
}
