/**
 * Model builders for tests and benchmarks: torchvision-layout ResNet18 and MobileNetV2,
 * a small BERT encoder and a PyTorch-export-style CNN, all with seeded random weights.
 * Example: `encodeModel(buildResNet18({ seed: 1 })).model` is an ONNX file's bytes.
 */
export { Rng, GraphBuilder, foldBn, countParameters, reluStats } from './builder.js';
export type { AttrInput, NodeOptions, BnParams, ConvBnOptions, Stats } from './builder.js';
export { buildResNet18, type ResNet18Options } from './resnet18.js';
export { buildMobileNetV2, MOBILENETV2_SETTINGS, type MobileNetV2Options } from './mobilenetv2.js';
export { buildBertEncoder, type BertEncoderOptions } from './bertEncoder.js';
export { buildPytorchStyleCnn, type PytorchStyleOptions } from './pytorchStyle.js';
export { MODEL_BUILDERS, type ModelKey } from './registry.js';
