/**
 * torchvision's ResNet18 as torch.onnx.export writes it at opset 17, with seeded random
 * weights. Input 'input' [N,3,224,224] float32, output 'output' [N,1000] float32.
 */
import type { Model } from '@qtk/core';
import { GraphBuilder } from './builder.js';

/** Options of `buildResNet18`. */
export interface ResNet18Options {
  /** PRNG seed of the weights (default 0). */
  seed?: number;
  /** Classifier outputs (default 1000). */
  numClasses?: number;
  /** Fold BN into Conv weight+bias as torch.onnx.export's constant folding does (default true). */
  foldBn?: boolean;
  /** Batch dimension: a size or a symbolic name (default 'N'). */
  batch?: number | string;
  /** Input height and width (default 224; any size ≥ 32 works thanks to the global pooling). */
  imageSize?: number;
}

/** The torchvision channel widths of ResNet18's four stages. */
const STAGES = [64, 128, 256, 512] as const;

/**
 * Builds ResNet18: conv1 7x7/2 → BN → Relu → MaxPool 3x3/2 → 4 stages x 2 BasicBlocks →
 * GlobalAveragePool → Flatten → Gemm. Example: `buildResNet18({ seed: 1 })` has 20 Conv + 1 Gemm.
 */
export function buildResNet18(opts: ResNet18Options = {}): Model {
  const seed = opts.seed ?? 0;
  const numClasses = opts.numClasses ?? 1000;
  const fold = opts.foldBn ?? true;
  const batch = opts.batch ?? 'N';
  const size = opts.imageSize ?? 224;
  const b = new GraphBuilder('main_graph', seed);

  const input = b.input('input', 'float32', [batch, 3, size, size]);
  let x = b.convBn(input, {
    convPath: '/conv1', convParam: 'conv1', bnPath: '/bn1', bnParam: 'bn1',
    inCh: 3, outCh: 64, kernel: 7, stride: 2, pad: 3, fold,
  });
  x = b.relu(x, '/relu');
  x = b.op('MaxPool', [x], {
    name: '/maxpool/MaxPool',
    attrs: { ceil_mode: 0, dilations: [1, 1], kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] },
  });
  // max over a 3x3 window of relu(N(0,1)) is about the max of 9 normals: mean 1.45, sd 0.6
  b.setStats(x, { mean: 1.45, var: 0.36 });

  let inCh = 64;
  STAGES.forEach((outCh, si) => {
    const layer = `layer${si + 1}`;
    for (let bi = 0; bi < 2; bi++) {
      const stride = si > 0 && bi === 0 ? 2 : 1;
      x = basicBlock(b, x, `/${layer}/${layer}.${bi}`, `${layer}.${bi}`, inCh, outCh, stride, fold);
      inCh = outCh;
    }
  });

  x = b.op('GlobalAveragePool', [x], { name: '/avgpool/GlobalAveragePool' });
  x = b.op('Flatten', [x], { name: '/Flatten', attrs: { axis: 1 } });
  b.linear(x, '/fc', 'fc', 512, numClasses, 'output');
  b.output('output', 'float32', [batch, numClasses]);
  return b.model(17);
}

/** torchvision BasicBlock: conv3x3-BN-Relu-conv3x3-BN, (downsample), Add, Relu. */
function basicBlock(b: GraphBuilder, x: string, path: string, param: string, inCh: number, outCh: number, stride: number, fold: boolean): string {
  let y = b.convBn(x, {
    convPath: `${path}/conv1`, convParam: `${param}.conv1`, bnPath: `${path}/bn1`, bnParam: `${param}.bn1`,
    inCh, outCh, kernel: 3, stride, pad: 1, fold,
  });
  y = b.relu(y, `${path}/relu`);
  y = b.convBn(y, {
    convPath: `${path}/conv2`, convParam: `${param}.conv2`, bnPath: `${path}/bn2`, bnParam: `${param}.bn2`,
    inCh: outCh, outCh, kernel: 3, pad: 1, fold,
  });
  let identity = x;
  if (stride !== 1 || inCh !== outCh) {
    identity = b.convBn(x, {
      convPath: `${path}/downsample/downsample.0`, convParam: `${param}.downsample.0`,
      bnPath: `${path}/downsample/downsample.1`, bnParam: `${param}.downsample.1`,
      inCh, outCh, kernel: 1, stride, fold,
    });
  }
  const sum = b.add(y, identity, `${path}/Add`);
  return b.relu(sum, `${path}/relu_1`);
}
