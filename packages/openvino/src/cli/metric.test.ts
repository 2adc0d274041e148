import { describe, expect, it } from 'vitest';
import { encodeNpy, Tensor } from '@qtk/core';
import { accuracyMetric, argmaxRows, moduleMetric, readLabels } from './metric.js';

const file = (t: Tensor) => ({ path: 'y.npy', bytes: encodeNpy(t) });

describe('the --metric built-ins', () => {
  it('argmaxRows takes the argmax of each row over the last axis', () => {
    expect(argmaxRows(new Tensor('float32', [2, 3], Float32Array.from([0, 5, 1, 9, 2, 3])))).toEqual([1, 0]);
  });

  it('readLabels takes one integer per sample and refuses fractions, naming the flag and file', () => {
    expect(readLabels(file(new Tensor('int64', [3], BigInt64Array.from([2n, 0n, 1n]))), '--labels')).toEqual([2, 0, 1]);
    expect(() => readLabels(file(new Tensor('float32', [2], Float32Array.from([0.5, 1]))), '--labels'))
      .toThrow("--labels 'y.npy' must hold one class index (an integer ≥ 0) per sample, shape [N]; got float32 [2]");
  });

  it('accuracy counts the rows of each batch whose argmax is their label, and refuses a label count that differs', async () => {
    const metric = accuracyMetric([1, 0, 0], 'y.npy', '--labels');
    const out = { y: new Tensor('float32', [3, 2], Float32Array.from([0, 1, 1, 0, 0, 1])) };
    expect(await metric.measure(async () => out, [{}])).toBeCloseTo(2 / 3);
    expect(() => metric.check(4)).toThrow("--labels 'y.npy' holds 3 labels, but the validation data has 4 samples");
  });

  it('a module metric needs a default-exported function', () => {
    expect(() => moduleMetric({ path: 'm.mjs', exports: { default: 3 } }, '--metric'))
      .toThrow("--metric 'm.mjs': the module's default export must be a function async (run, dataset) => number, not number");
  });
});
