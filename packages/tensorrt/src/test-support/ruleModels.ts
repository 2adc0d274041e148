/**
 * Tiny models built in code for TensorRT's placement rules, after Model Optimizer's rule tests:
 * each is a pattern whose Q/DQ placement TensorRT's fusions decide. Every model has one
 * input 'x' and one output 'y', static shapes and seeded weights.
 */
import { Tensor, type Model } from '@qtk/core';
import { GraphBuilder } from '@qtk/models';
import { randomTensor } from '@qtk/core/testing';

/** A rule model with feeds for calibration and for checking. */
export interface RuleModel {
  model: Model;
  calibration: Array<{ x: Tensor }>;
  probe: { x: Tensor };
}

/** Wraps a built graph with two seeded calibration batches and a held-out probe of `shape`. */
function withData(b: GraphBuilder, shape: number[]): RuleModel {
  return {
    model: b.model(17),
    calibration: [1, 2].map((seed) => ({ x: randomTensor(shape, seed) })),
    probe: { x: randomTensor(shape, 99) },
  };
}

/** Conv 7x7/2 (3 → 64 channels, no bias input) then Add of a per-channel constant [64, 1, 1] (a bias Add), as a TF export writes it. */
export function convBiasAdd(): RuleModel {
  const b = new GraphBuilder('conv_bias_add', 1);
  const x = b.input('x', 'float32', [1, 3, 32, 32]);
  const w = b.kaiming('conv.weight', [64, 3, 7, 7], 3 * 49);
  const c = b.conv(x, '/conv', w, undefined, { kernel: 7, stride: 2, pad: 3 });
  const bias = b.initializer('conv.bias_add', Tensor.fromFloat32(b.rng.normalArray(64, 0, 0.1), [64, 1, 1]));
  b.op('Add', [c, bias], { name: '/BiasAdd', outputs: ['y'] });
  b.output('y', 'float32', [1, 64, 16, 16]);
  return withData(b, [1, 3, 32, 32]);
}

/**
 * A stem (Conv 3 → 16, Relu) then torchvision's BasicBlock: conv3x3-BN-Relu-conv3x3-BN, plus
 * the block input (or, with `downsample`, conv3x3/2-BN of it and 32 output channels), Add, Relu.
 * `foldBn` writes Conv with bias (as an export with constant folding) instead of Conv → BatchNormalization.
 */
export function basicBlock(opts: { downsample: boolean; foldBn: boolean }): RuleModel {
  const b = new GraphBuilder('basic_block', 2);
  const fold = opts.foldBn;
  const x = b.input('x', 'float32', [1, 3, 16, 16]);
  const stem = b.relu(b.convBn(x, { convPath: '/stem', convParam: 'stem', bnPath: '/stem_bn', bnParam: 'stem_bn', inCh: 3, outCh: 16, kernel: 3, pad: 1, fold }), '/stem');
  const outCh = opts.downsample ? 32 : 16;
  const stride = opts.downsample ? 2 : 1;
  let y = b.convBn(stem, { convPath: '/block/conv1', convParam: 'block.conv1', bnPath: '/block/bn1', bnParam: 'block.bn1', inCh: 16, outCh, kernel: 3, stride, pad: 1, fold });
  y = b.relu(y, '/block/relu');
  y = b.convBn(y, { convPath: '/block/conv2', convParam: 'block.conv2', bnPath: '/block/bn2', bnParam: 'block.bn2', inCh: outCh, outCh, kernel: 3, pad: 1, fold });
  const identity = opts.downsample
    ? b.convBn(stem, { convPath: '/block/downsample/0', convParam: 'block.downsample.0', bnPath: '/block/downsample/1', bnParam: 'block.downsample.1', inCh: 16, outCh, kernel: 3, stride, pad: 1, fold })
    : stem;
  const sum = b.add(y, identity, '/block/Add');
  b.op('Relu', [sum], { name: '/block/relu_1/Relu', outputs: ['y'] });
  const side = 16 / stride;
  b.output('y', 'float32', [1, outCh, side, side]);
  return withData(b, [1, 3, 16, 16]);
}

/** Conv 16 → 32, Relu, MaxPool 3x3/2, Conv 32 → 32 (Model Optimizer's Conv-Act-Pool pattern, BN folded). */
export function convReluMaxPool(): RuleModel {
  const b = new GraphBuilder('conv_relu_maxpool', 3);
  const x = b.input('x', 'float32', [1, 16, 16, 16]);
  const c1 = b.conv(x, '/conv1', b.kaiming('conv1.weight', [32, 16, 3, 3], 144), undefined, { kernel: 3, pad: 1 });
  const r = b.relu(c1, '/relu');
  const p = b.op('MaxPool', [r], { name: '/maxpool/MaxPool', attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] } });
  const w2 = b.kaiming('conv2.weight', [32, 32, 3, 3], 288);
  b.op('Conv', [p, w2], { name: '/conv2/Conv', attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, outputs: ['y'] });
  b.output('y', 'float32', [1, 32, 8, 8]);
  return withData(b, [1, 16, 16, 16]);
}

/** ConvTranspose 2x2/2 from 16 to 32 channels with bias: weight [16, 32, 2, 2], output channels on axis 1. */
export function convTranspose(): RuleModel {
  const b = new GraphBuilder('conv_transpose', 4);
  const x = b.input('x', 'float32', [1, 16, 8, 8]);
  const w = b.kaiming('up.weight', [16, 32, 2, 2], 64);
  const bias = b.initializer('up.bias', Tensor.fromFloat32(b.rng.normalArray(32, 0, 0.1), [32]));
  b.op('ConvTranspose', [x, w, bias], { name: '/up/ConvTranspose', attrs: { kernel_shape: [2, 2], strides: [2, 2] }, outputs: ['y'] });
  b.output('y', 'float32', [1, 32, 16, 16]);
  return withData(b, [1, 16, 8, 8]);
}

/** One MatMul of input [`rows`..., K] by a weight [K, N]: a GEMV when the output is [1, N], a small GEMM when K or N < 16. */
export function singleMatMul(inputShape: number[], n: number): RuleModel {
  const b = new GraphBuilder('matmul', 5);
  const k = inputShape[inputShape.length - 1]!;
  const x = b.input('x', 'float32', inputShape);
  b.op('MatMul', [x, b.kaiming('fc.weight', [k, n], k, 1)], { name: '/fc/MatMul', outputs: ['y'] });
  b.output('y', 'float32', [...inputShape.slice(0, -1), n]);
  return withData(b, inputShape);
}

/** A 3-layer MLP on [8, 64]: MatMul + bias Add + Relu twice (64 → 128 → 64), then MatMul 64 → 32. */
export function mlp(): RuleModel {
  const b = new GraphBuilder('mlp', 6);
  const x = b.input('x', 'float32', [8, 64]);
  let h = b.relu(b.matmulAdd(x, '/fc1', 'fc1', 64, 128, Math.SQRT2), '/fc1');
  h = b.relu(b.matmulAdd(h, '/fc2', 'fc2', 128, 64, Math.SQRT2), '/fc2');
  b.op('MatMul', [h, b.kaiming('fc3.weight', [64, 32], 64, 1)], { name: '/fc3/MatMul', outputs: ['y'] });
  b.output('y', 'float32', [8, 32]);
  return withData(b, [8, 64]);
}

/** Conv 16 → 32 then LayerNormalization over the last axis (Model Optimizer's Conv → LayerNorm pattern). */
export function convLayerNorm(): RuleModel {
  const b = new GraphBuilder('conv_layernorm', 9);
  const x = b.input('x', 'float32', [1, 16, 8, 8]);
  const c = b.conv(x, '/conv', b.kaiming('conv.weight', [32, 16, 3, 3], 144), undefined, { kernel: 3, pad: 1 });
  const scale = b.initializer('ln.weight', Tensor.fromFloat32(b.rng.normalArray(8, 1, 0.1), [8]));
  const bias = b.initializer('ln.bias', Tensor.fromFloat32(b.rng.normalArray(8, 0, 0.1), [8]));
  b.op('LayerNormalization', [c, scale, bias], { name: '/ln/LayerNormalization', attrs: { axis: -1, epsilon: { kind: 'float', value: 1e-5 } }, outputs: ['y'] });
  b.output('y', 'float32', [1, 32, 8, 8]);
  return withData(b, [1, 16, 8, 8]);
}
