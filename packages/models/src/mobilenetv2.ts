/**
 * torchvision's MobileNetV2 (width 1.0) as torch.onnx.export writes it at opset 17, with
 * seeded random weights. Input 'input' [N,3,224,224] float32, output 'output' [N,1000].
 */
import type { Model } from '@qtk/core';
import { GraphBuilder } from './builder.js';

/** Options of `buildMobileNetV2`. */
export interface MobileNetV2Options {
  /** PRNG seed of the weights (default 0). */
  seed?: number;
  /** Classifier outputs (default 1000). */
  numClasses?: number;
  /** Fold BN into Conv weight+bias as torch.onnx.export's constant folding does (default true). */
  foldBn?: boolean;
  /** Batch dimension: a size or a symbolic name (default 'N'). */
  batch?: number | string;
  /** Input height and width (default 224). */
  imageSize?: number;
}

/** torchvision's inverted residual settings: expansion t, output channels c, repeats n, first stride s. */
export const MOBILENETV2_SETTINGS: ReadonlyArray<readonly [t: number, c: number, n: number, s: number]> = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/**
 * Builds MobileNetV2: features.0 (conv 3x3/2 → 32, BN, ReLU6), 17 inverted residual blocks,
 * features.18 (conv 1x1 → 1280, BN, ReLU6), GlobalAveragePool, Flatten, Gemm. ReLU6 is
 * Clip(x, 0, 6) with min/max initializers; eval-mode Dropout is absent as in an export.
 * Example: `buildMobileNetV2({ foldBn: false })` keeps 52 BatchNormalization nodes.
 */
export function buildMobileNetV2(opts: MobileNetV2Options = {}): Model {
  const seed = opts.seed ?? 0;
  const numClasses = opts.numClasses ?? 1000;
  const fold = opts.foldBn ?? true;
  const batch = opts.batch ?? 'N';
  const size = opts.imageSize ?? 224;
  const b = new GraphBuilder('main_graph', seed);

  const input = b.input('input', 'float32', [batch, 3, size, size]);
  let x = convBnRelu6(b, input, '/features/features.0', 'features.0', 3, 32, 3, 2, 1, fold);
  let inCh = 32;
  let idx = 1;
  for (const [t, c, n, s] of MOBILENETV2_SETTINGS) {
    for (let i = 0; i < n; i++) {
      x = invertedResidual(b, x, idx, inCh, c, i === 0 ? s : 1, t, fold);
      inCh = c;
      idx++;
    }
  }
  x = convBnRelu6(b, x, `/features/features.${idx}`, `features.${idx}`, inCh, 1280, 1, 1, 1, fold);

  x = b.op('GlobalAveragePool', [x], { name: '/GlobalAveragePool' });
  x = b.op('Flatten', [x], { name: '/Flatten', attrs: { axis: 1 } });
  b.linear(x, '/classifier/classifier.1', 'classifier.1', 1280, numClasses, 'output');
  b.output('output', 'float32', [batch, numClasses]);
  return b.model(17);
}

/** torchvision Conv2dNormActivation: `<path>/<p>.0/Conv`, `<p>.1` BN, `<p>.2/Clip` (ReLU6). */
function convBnRelu6(
  b: GraphBuilder, x: string, path: string, param: string,
  inCh: number, outCh: number, kernel: number, stride: number, group: number, fold: boolean,
): string {
  const leaf = path.slice(path.lastIndexOf('/') + 1);
  const y = b.convBn(x, {
    convPath: `${path}/${leaf}.0`, convParam: `${param}.0`, bnPath: `${path}/${leaf}.1`, bnParam: `${param}.1`,
    inCh, outCh, kernel, stride, pad: (kernel - 1) / 2, group, fold,
  });
  return b.relu6(y, `${path}/${leaf}.2`);
}

/**
 * torchvision InvertedResidual `features.<idx>`: [1x1 expand ConvBNReLU6 when t ≠ 1],
 * 3x3 depthwise ConvBNReLU6, 1x1 linear projection Conv + BN, residual Add when
 * stride 1 and in == out.
 */
function invertedResidual(b: GraphBuilder, x: string, idx: number, inCh: number, outCh: number, stride: number, t: number, fold: boolean): string {
  const path = `/features/features.${idx}`;
  const param = `features.${idx}`;
  const hidden = inCh * t;
  let k = 0;
  let y = x;
  if (t !== 1) {
    y = convBnRelu6(b, y, `${path}/conv/conv.${k}`, `${param}.conv.${k}`, inCh, hidden, 1, 1, 1, fold);
    k++;
  }
  y = convBnRelu6(b, y, `${path}/conv/conv.${k}`, `${param}.conv.${k}`, hidden, hidden, 3, stride, hidden, fold);
  k++;
  y = b.convBn(y, {
    convPath: `${path}/conv/conv.${k}`, convParam: `${param}.conv.${k}`,
    bnPath: `${path}/conv/conv.${k + 1}`, bnParam: `${param}.conv.${k + 1}`,
    inCh: hidden, outCh, kernel: 1, fold,
  });
  return stride === 1 && inCh === outCh ? b.add(x, y, `${path}/Add`) : y;
}
