/** The builders by CLI key, each with the file name it is saved under. */
import type { Model } from '@qtk/core';
import { buildResNet18 } from './resnet18.js';
import { buildMobileNetV2 } from './mobilenetv2.js';
import { buildBertEncoder } from './bertEncoder.js';
import { buildPytorchStyleCnn } from './pytorchStyle.js';

/** A model's CLI key: `resnet18`, `mobilenetv2`, `bert`, `pytorch-style`. */
export type ModelKey = 'resnet18' | 'mobilenetv2' | 'bert' | 'pytorch-style';

/** Key → file name and builder with default options (seed 0). */
export const MODEL_BUILDERS: Readonly<Record<ModelKey, { file: string; build: (seed?: number) => Model }>> = {
  resnet18: { file: 'resnet18.onnx', build: (seed) => buildResNet18({ seed }) },
  mobilenetv2: { file: 'mobilenetv2.onnx', build: (seed) => buildMobileNetV2({ seed }) },
  bert: { file: 'bert_encoder.onnx', build: (seed) => buildBertEncoder({ seed }) },
  'pytorch-style': { file: 'pytorch_style_cnn.onnx', build: (seed) => buildPytorchStyleCnn({ seed }) },
};
