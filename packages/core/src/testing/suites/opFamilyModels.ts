/**
 * Small graphs exercising each op family the static pipeline quantizes (layout moves,
 * activations, Gelu, normalisations with Where, Gemm and attention MatMuls, Pad/Resize,
 * selections, ConvTranspose), built with seeded weights through the injected builder.
 */
import { Tensor, type Model } from '../../index.js';
import type { ModelBuilders, TestGraphBuilder } from '../fixtures.js';

/** A k×k Conv with seeded Kaiming weights and a small bias. */
function conv(b: TestGraphBuilder, x: string, name: string, inCh: number, outCh: number, k = 1): string {
  const w = b.kaiming(`${name}.weight`, [outCh, inCh, k, k], inCh * k * k);
  const bias = b.initializer(`${name}.bias`, Tensor.fromFloat32(b.rng.normalArray(outCh, 0, 0.05), [outCh]));
  return b.conv(x, `/${name}`, w, bias, { kernel: k, pad: (k - 1) / 2 });
}

/** Conv → Slice → Tile → DepthToSpace → SpaceToDepth → Pad(0) → Resize(nearest) → ReduceMax → Expand → Split → Gather, Concat → MaxPool → Conv. */
export function layoutModel(models: ModelBuilders): Model {
  const b = models.graphBuilder('layout', 1);
  const x = b.input('x', 'float32', [1, 8, 8, 8]);
  const c = conv(b, x, 'conv1', 8, 8, 3);
  const i64 = (name: string, v: number[]) => b.initializer(name, Tensor.int64(v));
  const s = b.op('Slice', [c, i64('starts', [0]), i64('ends', [4]), i64('axes', [1])], { name: 'slice' });
  const t = b.op('Tile', [s, i64('repeats', [1, 2, 1, 1])], { name: 'tile' });
  const d = b.op('DepthToSpace', [t], { name: 'd2s', attrs: { blocksize: 2 } });
  const e = b.op('SpaceToDepth', [d], { name: 's2d', attrs: { blocksize: 2 } });
  const p = b.op('Pad', [e, i64('pads', [0, 0, 1, 1, 0, 0, 1, 1])], { name: 'pad' });
  const r = b.op('Resize', [p, '', b.initializer('scales', Tensor.fromFloat32(Float32Array.from([1, 1, 2, 2]), [4]))], { name: 'resize', attrs: { mode: 'nearest' } });
  const m = b.op('ReduceMax', [r], { name: 'reducemax', attrs: { axes: [1], keepdims: 1 } });
  const ex = b.op('Expand', [m, i64('shape', [1, 4, 20, 20])], { name: 'expand' });
  const [lo, hi] = b.node('Split', [ex, i64('split', [2, 2])], { name: 'split', attrs: { axis: 1 }, outputs: 2 }) as [string, string];
  const g = b.op('Gather', [lo, i64('idx', [1, 0])], { name: 'gather', attrs: { axis: 1 } });
  const cat = b.op('Concat', [g, hi], { name: 'concat', attrs: { axis: 1 } });
  const mp = b.op('MaxPool', [cat], { name: 'maxpool', attrs: { kernel_shape: [2, 2], strides: [2, 2] } });
  b.node('Conv', [mp, b.kaiming('conv2.weight', [4, 4, 1, 1], 4)], { name: 'conv2', outputs: ['y'] });
  b.output('y', 'float32', [1, 4, 10, 10]);
  return b.model(17);
}

/** One Conv feeding Sigmoid, LeakyRelu, HardSwish, HardSigmoid, Tanh, Softmax, Relu and Clip(-1, 1), concatenated and mixed by a 1x1 Conv. */
export function activationModel(models: ModelBuilders): Model {
  const b = models.graphBuilder('activations', 2);
  const x = b.input('x', 'float32', [1, 8, 6, 6]);
  const c = conv(b, x, 'conv1', 8, 8, 3);
  const acts = [
    b.op('Sigmoid', [c], { name: 'sigmoid' }),
    b.op('LeakyRelu', [c], { name: 'leakyrelu', attrs: { alpha: { kind: 'float', value: 0.1 } } }),
    b.op('HardSwish', [c], { name: 'hardswish' }),
    b.op('HardSigmoid', [c], { name: 'hardsigmoid' }),
    b.op('Tanh', [c], { name: 'tanh' }),
    b.op('Softmax', [c], { name: 'softmax', attrs: { axis: 1 } }),
    b.op('Relu', [c], { name: 'relu' }),
    b.op('Clip', [c, b.scalar(-1), b.scalar(1)], { name: 'clip' }),
  ];
  const cat = b.op('Concat', acts, { name: 'concat', attrs: { axis: 1 } });
  b.node('Conv', [cat, b.kaiming('mix.weight', [8, 64, 1, 1], 64)], { name: 'mix', outputs: ['y'] });
  b.output('y', 'float32', [1, 8, 6, 6]);
  return b.model(17);
}

/** Conv → Gelu (opset 20) → Conv. */
export function geluModel(models: ModelBuilders): Model {
  const b = models.graphBuilder('gelu', 3);
  const x = b.input('x', 'float32', [1, 8, 6, 6]);
  const g = b.op('Gelu', [conv(b, x, 'conv1', 8, 8, 3)], { name: 'gelu' });
  b.node('Conv', [g, b.kaiming('conv2.weight', [8, 8, 1, 1], 8)], { name: 'conv2', outputs: ['y'] });
  b.output('y', 'float32', [1, 8, 6, 6]);
  return b.model(20);
}

/** Conv → LayerNormalization → InstanceNormalization → Relu, Conv; Where(Conv > 0, Conv, Relu) → Conv. */
export function normWhereModel(models: ModelBuilders): Model {
  const b = models.graphBuilder('norm', 4);
  const x = b.input('x', 'float32', [1, 8, 8, 8]);
  const c = conv(b, x, 'conv1', 8, 8, 3);
  const vec = (name: string, mean: number) => b.initializer(name, Tensor.fromFloat32(b.rng.normalArray(8, mean, 0.1), [8]));
  const ln = b.op('LayerNormalization', [c, vec('ln.weight', 1), vec('ln.bias', 0)], { name: 'layernorm', attrs: { axis: -1, epsilon: { kind: 'float', value: 1e-5 } } });
  const inorm = b.op('InstanceNormalization', [ln, vec('in.weight', 1), vec('in.bias', 0)], { name: 'instancenorm' });
  const r = b.op('Relu', [inorm], { name: 'relu' });
  const c2 = conv(b, r, 'conv2', 8, 8, 1);
  const cond = b.op('Greater', [c2, b.scalar(0)], { name: 'greater' });
  const w = b.op('Where', [cond, c2, r], { name: 'where' });
  b.node('Conv', [w, b.kaiming('conv3.weight', [8, 8, 1, 1], 8)], { name: 'conv3', outputs: ['y'] });
  b.output('y', 'float32', [1, 8, 8, 8]);
  return b.model(17);
}

/** Gemm(transB=1) → Gemm(transB=0) → MatMul(h, hᵀ) → Softmax → MatMul(P, h): two-activation MatMuls as in attention. */
export function gemmAttentionModel(models: ModelBuilders): Model {
  const b = models.graphBuilder('gemm', 5);
  const x = b.input('x', 'float32', [8, 16]);
  const bias = (name: string, n: number) => b.initializer(name, Tensor.fromFloat32(b.rng.normalArray(n, 0, 0.05), [n]));
  const h1 = b.op('Gemm', [x, b.kaiming('fc1.weight', [32, 16], 16), bias('fc1.bias', 32)], { name: 'gemm_transB', attrs: { transB: 1 } });
  const h = b.op('Gemm', [h1, b.kaiming('fc2.weight', [32, 16], 32), bias('fc2.bias', 16)], { name: 'gemm_plain' });
  const ht = b.op('Transpose', [h], { name: 'transpose', attrs: { perm: [1, 0] } });
  const scores = b.op('MatMul', [h, ht], { name: 'scores' });
  const probs = b.op('Softmax', [scores], { name: 'softmax', attrs: { axis: -1 } });
  b.node('MatMul', [probs, h], { name: 'context', outputs: ['y'] });
  b.output('y', 'float32', [8, 16]);
  return b.model(17);
}

/** Conv → Pad(reflect) → Pad(constant 3) → Resize(linear) → Resize(cubic) → Conv. */
export function padResizeModel(models: ModelBuilders): Model {
  const b = models.graphBuilder('padresize', 6);
  const x = b.input('x', 'float32', [1, 4, 6, 6]);
  const c = conv(b, x, 'conv1', 4, 4, 3);
  const pads = b.initializer('pads', Tensor.int64([0, 0, 1, 1, 0, 0, 1, 1]));
  const p1 = b.op('Pad', [c, pads], { name: 'pad_reflect', attrs: { mode: 'reflect' } });
  const p2 = b.op('Pad', [p1, pads, b.scalar(3)], { name: 'pad_three' });
  const scales = b.initializer('scales', Tensor.fromFloat32(Float32Array.from([1, 1, 2, 2]), [4]));
  const r1 = b.op('Resize', [p2, '', scales], { name: 'resize_linear', attrs: { mode: 'linear' } });
  const r2 = b.op('Resize', [r1, '', scales], { name: 'resize_cubic', attrs: { mode: 'cubic' } });
  b.node('Conv', [r2, b.kaiming('conv2.weight', [4, 4, 1, 1], 4)], { name: 'conv2', outputs: ['y'] });
  b.output('y', 'float32', [1, 4, 40, 40]);
  return b.model(17);
}

/** Gemm → ArgMax, TopK(3) values, ReduceMin. */
export function selectModel(models: ModelBuilders): Model {
  const b = models.graphBuilder('select', 7);
  const x = b.input('x', 'float32', [16, 12]);
  const h = b.linear(x, '/fc', 'fc', 12, 10);
  b.node('ArgMax', [h], { name: 'argmax', attrs: { axis: 1, keepdims: 0 }, outputs: ['idx'] });
  b.node('TopK', [h, b.initializer('k', Tensor.int64([3]))], { name: 'topk', outputs: ['y', 'topi'] });
  b.node('ReduceMin', [h], { name: 'reducemin', attrs: { axes: [1], keepdims: 0 }, outputs: ['m'] });
  b.output('idx', 'int64', [16]);
  b.output('y', 'float32', [16, 3]);
  b.output('topi', 'int64', [16, 3]);
  b.output('m', 'float32', [16]);
  return b.model(17);
}

/** Conv → ConvTranspose(stride 2) → ConvTranspose(group 2), each with a bias. */
export function convTransposeModel(models: ModelBuilders): Model {
  const b = models.graphBuilder('convtranspose', 8);
  const x = b.input('x', 'float32', [1, 4, 6, 6]);
  const c = conv(b, x, 'conv1', 4, 8, 3);
  const bias = (name: string, n: number) => b.initializer(name, Tensor.fromFloat32(b.rng.normalArray(n, 0, 0.05), [n]));
  const up = b.op('ConvTranspose', [c, b.kaiming('up.weight', [8, 4, 2, 2], 8), bias('up.bias', 4)], { name: 'up', attrs: { kernel_shape: [2, 2], strides: [2, 2] } });
  b.node('ConvTranspose', [up, b.kaiming('grouped.weight', [4, 2, 3, 3], 18), bias('grouped.bias', 4)], { name: 'grouped', attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], group: 2 }, outputs: ['y'] });
  b.output('y', 'float32', [1, 4, 12, 12]);
  return b.model(17);
}
