/**
 * The digits CNN and its images as datasets for the tests, run on onnxruntime-node.
 */
import { decodeModel, Tensor, type Feeds, type Model } from '@qtk/core';
import { readDigits } from '@qtk/models/testing';
import { ortNode } from '@qtk/onnxruntime/node';
import { Dataset } from '../dataset.js';

/** One digit image with its label. */
export interface Digit {
  pixels: Float32Array;
  label: number;
}

const data = readDigits();

/** The digits CNN (input 'input' [N,1,8,8], output 'logits' [N,10]). */
export const digitsModel = (): Model => decodeModel(data.model);

/** Images `from` .. `from + n - 1` with their labels. */
export function digits(from: number, n: number): Digit[] {
  return Array.from({ length: n }, (_, i) => ({ pixels: data.images.slice((from + i) * 64, (from + i + 1) * 64), label: data.labels[from + i]! }));
}

/** A digit as the model's feeds. */
export const digitFeeds = (d: Digit): Feeds => ({ input: new Tensor('float32', d.pixels, [1, 1, 8, 8]) });

/** `digits(from, n)` as a dataset. */
export const digitsDataset = (from: number, n: number): Dataset<Digit> => new Dataset(digits(from, n), digitFeeds);

/** The context of the tests: onnxruntime-node (the backend: `openvinoBackend`, the default). */
export const testContext = { executor: ortNode };
