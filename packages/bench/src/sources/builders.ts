/**
 * Model sources over seeded builder functions (ResNet18, MobileNetV2, a BERT-like
 * encoder), such as those of @qtk/models: callers pass them in, and this module adds the
 * names and input sizes.
 */
import type { Model } from '@qtk/core';
import { modelFromFactory, type ModelSource } from '../modelSource.js';

/** Names of the builder-made models. */
export const BUILDER_MODELS = ['resnet18', 'mobilenetv2', 'bert'] as const;

/** A builder-made model's name. */
export type BuilderModel = (typeof BUILDER_MODELS)[number];

/** Builders by name, each taking a weight seed. */
export type ModelBuilders = Readonly<Partial<Record<BuilderModel, (seed?: number) => Model>>>;

/** Sequence length the BERT-like encoder is fed at. */
export const BERT_SEQ_LEN = 128;

/** True when `name` is a builder-made model. */
export function isBuilderModel(name: string): name is BuilderModel {
  return (BUILDER_MODELS as readonly string[]).includes(name);
}

const DESCRIPTIONS: Readonly<Record<BuilderModel, string>> = {
  resnet18: 'ResNet18, torchvision layout, seeded random weights, 224x224 input',
  mobilenetv2: 'MobileNetV2, torchvision layout, seeded random weights, 224x224 input',
  bert: `BERT-like encoder (2 layers, hidden 256), seeded random weights, sequence ${BERT_SEQ_LEN}`,
};

/** The source of a builder-made model, built with weight seed `seed` (default 1). */
export function builderModelSource(name: BuilderModel, build: (seed?: number) => Model | Promise<Model>, seed = 1): ModelSource {
  const extras = name === 'bert'
    ? { inputs: { input_ids: { dims: (n: number) => [n, BERT_SEQ_LEN], range: [0, 1000] as const }, attention_mask: { dims: (n: number) => [n, BERT_SEQ_LEN] } } }
    : {};
  return modelFromFactory(name, () => build(seed), { description: DESCRIPTIONS[name], ...extras });
}
