/**
 * A small CNN written the way torch.onnx.export writes a model with do_constant_folding=False:
 * shape values in Constant nodes, BatchNormalization kept, an Identity, and the
 * `x.view(x.size(0), -1)` chain Shape → Gather(0) → Unsqueeze → Concat([-1]) → Reshape.
 * Input 'input' [N,3,32,32] float32; output 'output' [N,numClasses] softmax probabilities.
 */
import { Tensor, type Model } from '@qtk/core';
import { GraphBuilder } from './builder.js';

/** Options of `buildPytorchStyleCnn`. */
export interface PytorchStyleOptions {
  /** PRNG seed of the weights (default 0). */
  seed?: number;
  /** Classifier outputs (default 10). */
  numClasses?: number;
  /** Batch dimension: a size or a symbolic name (default 'N'). */
  batch?: number | string;
}

/**
 * Builds conv1(3→16, 3x3, bias) → BN → Relu → MaxPool 2 → conv2(16→32) → BN → Relu →
 * MaxPool 2 → Identity → flatten chain → Gemm(2048→numClasses) → Softmax.
 * Example: `buildPytorchStyleCnn()` has 3 Constant nodes and 2 BatchNormalization nodes.
 */
export function buildPytorchStyleCnn(opts: PytorchStyleOptions = {}): Model {
  const seed = opts.seed ?? 0;
  const numClasses = opts.numClasses ?? 10;
  const batch = opts.batch ?? 'N';
  const b = new GraphBuilder('main_graph', seed);

  let x = b.input('input', 'float32', [batch, 3, 32, 32]);
  x = convBnReluPool(b, x, 1, 3, 16);
  x = convBnReluPool(b, x, 2, 16, 32);
  x = b.op('Identity', [x], { name: '/Identity' });

  const shape = b.op('Shape', [x], { name: '/Shape' });
  const zero = b.constant(Tensor.scalar('int64', 0), '/Constant');
  const n = b.op('Gather', [shape, zero], { name: '/Gather', attrs: { axis: 0 } });
  const axes = b.constant(Tensor.int64([0]), '/Constant');
  const n1 = b.op('Unsqueeze', [n, axes], { name: '/Unsqueeze' });
  const minusOne = b.constant(Tensor.int64([-1]), '/Constant');
  const target = b.op('Concat', [n1, minusOne], { name: '/Concat', attrs: { axis: 0 } });
  x = b.op('Reshape', [x, target], { name: '/Reshape' });

  const logits = b.linear(x, '/fc', 'fc', 32 * 8 * 8, numClasses);
  b.op('Softmax', [logits], { name: '/Softmax', attrs: { axis: 1 }, outputs: ['output'] });
  b.output('output', 'float32', [batch, numClasses]);
  return b.model(17);
}

/** conv<i> (with bias, as nn.Conv2d's default) → bn<i> → relu → pool, torch-style names. */
function convBnReluPool(b: GraphBuilder, x: string, i: number, inCh: number, outCh: number): string {
  const fanIn = inCh * 9;
  const w = b.kaiming(`conv${i}.weight`, [outCh, inCh, 3, 3], fanIn);
  const bias = b.initializer(`conv${i}.bias`, Tensor.fromFloat32(b.rng.normalArray(outCh, 0, 0.01), [outCh]));
  const sx = b.statsOf(x);
  const y = b.conv(x, `/conv${i}`, w, bias, { kernel: 3, pad: 1 });
  const bn = b.batchNorm(y, `/bn${i}`, `bn${i}`, b.bnParams(outCh, 2 * (sx.mean * sx.mean + sx.var)));
  b.setStats(bn, { mean: 0, var: 1 });
  const r = b.relu(bn, i === 1 ? '/relu' : `/relu_${i - 1}`);
  const p = b.op('MaxPool', [r], {
    name: i === 1 ? '/pool/MaxPool' : `/pool_${i - 1}/MaxPool`,
    attrs: { ceil_mode: 0, dilations: [1, 1], kernel_shape: [2, 2], pads: [0, 0, 0, 0], strides: [2, 2] },
  });
  // max over 2x2 of relu(N(0,1)) is about the max of 4 normals: mean 1.03, sd 0.7
  b.setStats(p, { mean: 1.03, var: 0.49 });
  return p;
}
