/**
 * What the shared suites need from outside core, injected so core does no file I/O and
 * imports no model package: the digits data set and CNN as bytes, the silero VAD files,
 * and the seeded model builders. `@qtk/models/testing` gives the Node implementation
 * (`nodePipelineFixtures()`); a browser runner can fetch the same files.
 */
import type { AttributeValue, Dim, Model } from '../ir/graph.js';
import type { DType } from '../ir/dtype.js';
import type { Tensor } from '../ir/tensor.js';

/** The bundled digits set: CNN (input 'input' [N,1,8,8], output 'logits' [N,10]), 1797 images, labels. */
export interface DigitsData {
  /** The ONNX file's bytes. */
  readonly model: Uint8Array;
  /** 1797 images of 8x8 float32 values, row after row. */
  readonly images: Float32Array;
  /** The digit (0..9) of each image. */
  readonly labels: Uint8Array;
}

/** Options the suites pass to the seeded model builders (see `@qtk/models`). */
export interface BuildOptions {
  seed?: number;
  imageSize?: number;
  numClasses?: number;
  layers?: number;
  hidden?: number;
  heads?: number;
  intermediate?: number;
  vocab?: number;
  maxPosition?: number;
}

/** Options of one node of a `TestGraphBuilder`. */
export interface TestNodeOptions {
  name?: string;
  attrs?: Record<string, AttributeValue | number | number[] | string | Tensor>;
  outputs?: number | string[];
}

/** The part of `@qtk/models`' GraphBuilder the suites use; every method returns the value names it made. */
export interface TestGraphBuilder {
  readonly rng: { normalArray(n: number, mean?: number, std?: number): Float32Array };
  input(name: string, dtype: DType, shape: Dim[]): string;
  output(name: string, dtype: DType, shape: Dim[]): void;
  initializer(name: string, tensor: Tensor): string;
  scalar(value: number): string;
  node(opType: string, inputs: string[], opts?: TestNodeOptions): string[];
  op(opType: string, inputs: string[], opts?: TestNodeOptions): string;
  kaiming(name: string, dims: number[], fanIn: number): string;
  conv(x: string, path: string, weight: string, bias: string | undefined, o: { kernel: number; stride?: number; pad?: number; group?: number }): string;
  linear(x: string, path: string, param: string, inF: number, outF: number): string;
  model(opset?: number): Model;
}

/** Seeded model builders (`@qtk/models`). */
export interface ModelBuilders {
  resnet18(o: BuildOptions): Model;
  mobileNetV2(o: BuildOptions): Model;
  bertEncoder(o: BuildOptions): Model;
  pytorchStyleCnn(o: BuildOptions): Model;
  /** A new graph builder named `name` whose weights come from `seed`. */
  graphBuilder(name: string, seed: number): TestGraphBuilder;
}

/** Everything the shared suites read from outside core. */
export interface PipelineFixtures {
  digits(): Promise<DigitsData>;
  /** The bytes of silero VAD v5 (`silero_vad_v5.onnx`) or legacy (`silero_vad_legacy.onnx`). */
  sileroVad(version: 'v5' | 'legacy'): Promise<Uint8Array>;
  readonly models: ModelBuilders;
}
