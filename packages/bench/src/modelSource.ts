/**
 * What the benchmark needs of a model: how to load the FP32 graph, how to feed it, and
 * optionally calibration data and labelled data. Packages do not know where models come
 * from: callers pass factories (a builder function, a file path) through these sources.
 *
 * Example: `modelFromFactory('resnet18', () => buildResNet18({ seed: 1 }))`.
 */
import type { Model, QuantizeOptions } from '@qtk/core';
import { seededFeeds, type DimSizes, type Feeds, type InputSpec } from './feeds.js';

/** Labelled evaluation batches: accuracy is the argmax of `output` matching `labels`. */
export interface LabelledData {
  batches: ReadonlyArray<{ feeds: Feeds; labels: Uint8Array }>;
  /** Output holding the class scores (default: the first graph output). */
  output?: string;
  /** What the data is, for reports (`digits test split, 500 images`). */
  description?: string;
}

/** The user's own unlabelled samples of a model, in batches. */
export interface SampleData {
  batches: Feeds[];
  /** What the samples are, for reports (`100 samples from test.npy`). */
  description: string;
}

/** A model to benchmark. */
export interface ModelSource {
  /** Short name used in tables (`resnet18`). */
  readonly name: string;
  readonly description?: string;
  /** Loads the FP32 model. */
  load(): Promise<Model>;
  /** How each input is fed (sizes of symbolic dims, value ranges). */
  readonly inputs?: Readonly<Record<string, InputSpec>>;
  /** Sizes of symbolic dims by name, for inputs without a `dims` spec (`{ seq: 128 }`). */
  readonly dims?: DimSizes;
  /** Calibration batches for static INT8 (default: `samples`, else seeded random batches from `inputs`). */
  calibration?(model: Model): Promise<Feeds[]> | Feeds[];
  /** Labelled data; when given, accuracy replaces agreement with FP32 as the quality figure. */
  labelled?(): Promise<LabelledData> | LabelledData;
  /** Unlabelled samples; without labelled data, agreement with FP32 is measured on them instead of random inputs. */
  samples?(model: Model): Promise<SampleData> | SampleData;
  /** Quantize options for this model, under those each precision sets. */
  readonly quantizeOptions?: QuantizeOptions;
}

/** Extra fields of a model source besides its name and loader. */
export type ModelSourceExtras = Omit<ModelSource, 'name' | 'load'>;

/** A model source over a function building the model (a seeded builder, say). */
export function modelFromFactory(name: string, build: () => Model | Promise<Model>, extras: ModelSourceExtras = {}): ModelSource {
  let cached: Promise<Model> | undefined;
  return { ...extras, name, load: () => (cached ??= Promise.resolve().then(build)) };
}

/** A model source over an ONNX file (read with `@qtk/core/node`). */
export function modelFromFile(name: string, file: string, extras: ModelSourceExtras = {}): ModelSource {
  return modelFromFactory(name, async () => (await import('@qtk/core/node')).loadModelFile(file), { description: file, ...extras });
}

/** Seeded random feeds of a source's model at a batch size, shaped by its input specs and dim sizes. */
export function sourceFeeds(source: ModelSource, model: Model, batch: number, seed: number): Feeds {
  return seededFeeds(model, batch, seed, source.inputs, source.dims);
}
