/**
 * The calibration and evaluation inputs the side-by-side runs share: seeded uniform
 * [-1, 1) images of shape [1, 3, 224, 224], the same bytes for qtk and the other tool.
 * Calibration seed `s` is evaluated on images of seed `evalSeed(s)`.
 */
import { Tensor, type Feeds } from '@qtk/core';

/** Floats in one [1, 3, 224, 224] image. */
export const IMAGE_SIZE = 3 * 224 * 224;

/** `n` seeded uniform [-1, 1) images, back to back (calibration: seed s; evaluation: `evalSeed(s)`). */
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

/** Calibration images per seed. */
export const CALIB_IMAGES = 32;

/** Evaluation images per seed. */
export const EVAL_IMAGES = 16;

/** The evaluation seed of calibration seed `seed`: 1233 + seed (calibration seed 1 is evaluated on seed 1234). */
export function evalSeed(seed: number): number {
  return 1233 + seed;
}

/** The calibration images of `seed` (default 1) as batch-1 feeds of input `input`. */
export function calibrationFeeds(seed = 1): Feeds[] {
  return batches(images(CALIB_IMAGES, seed), CALIB_IMAGES, 'input', [1, 3, 224, 224]);
}

/** The evaluation images of calibration seed `seed` (default 1) as batch-1 feeds of input `input`. */
export function evaluationFeeds(seed = 1): Feeds[] {
  return batches(images(EVAL_IMAGES, evalSeed(seed)), EVAL_IMAGES, 'input', [1, 3, 224, 224]);
}
