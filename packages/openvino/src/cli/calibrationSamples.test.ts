import { describe, expect, it } from 'vitest';
import { Tensor } from '@qtk/core';
import { firstSamples } from './calibrationSamples.js';

/** A batch of `n` rows of 2 values (row i holds i + offset), with a feed without the batch dim. */
const batch = (n: number, offset: number) => ({
  x: new Tensor('float32', [n, 2], Float32Array.from({ length: 2 * n }, (_, i) => Math.floor(i / 2) + offset)),
  scale: new Tensor('float32', [1], Float32Array.from([7])),
});

describe('firstSamples', () => {
  it('keeps whole batches while they fit and cuts the rows of the next, leaving feeds without the batch dim whole', () => {
    const r = firstSamples([batch(4, 0), batch(4, 4), batch(4, 8)], 6);
    expect(r.samples).toBe(6);
    expect(r.batches.map((b) => b.x!.dims[0])).toEqual([4, 2]);
    expect(r.batches[1]!.x!.toNumbers()).toEqual([4, 4, 5, 5]);
    expect(r.batches[1]!.scale!.dims).toEqual([1]);
  });

  it('gives every batch when the data holds fewer samples than asked for', () => {
    const r = firstSamples([batch(3, 0), batch(2, 3)], 300);
    expect(r.samples).toBe(5);
    expect(r.batches).toHaveLength(2);
  });
});
