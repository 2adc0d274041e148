/**
 * The calibration and evaluation inputs the side-by-side runs share: seeded uniform
 * [-1, 1) images of shape [1, 3, 224, 224], the same bytes for qtk and the other tool.
 */
import { Tensor, type Feeds } from '@qtk/core';

/** Floats in one [1, 3, 224, 224] image. */
export const IMAGE_SIZE = 3 * 224 * 224;

/** `n` seeded uniform [-1, 1) images, back to back (calibration: seed 1; evaluation: seed 1234). */
export function images(n: number, seed: number): Float32Array {
  const d = new Float32Array(n * IMAGE_SIZE);
  let s = seed >>> 0;
  for (let i = 0; i < d.length; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; d[i] = (s / 4294967296) * 2 - 1; }
  return d;
}

/** `d` split into `n` equal batches of shape `shape` fed to input `name`. */
export function batches(d: Float32Array, n: number, name: string, shape: number[]): Feeds[] {
  const per = d.length / n;
  return Array.from({ length: n }, (_, i) => ({ [name]: new Tensor('float32', d.slice(i * per, (i + 1) * per), shape) }));
}

/** The 32 calibration images as batch-1 feeds of input `input`. */
export function calibrationFeeds(): Feeds[] {
  return batches(images(32, 1), 32, 'input', [1, 3, 224, 224]);
}
