import { describe, expect, it } from 'vitest';
import { Tensor } from '../ir/tensor.js';
import { channelMinMax } from './minmax.js';
import { seeded } from './test-support/seeded.js';

describe('channelMinMax', () => {
  it('per channel along each axis of a [3, 4, 5] tensor equals the brute-force extrema, skipping NaN', () => {
    const r = seeded(71);
    const dims = [3, 4, 5];
    const x = r.fill(60, r.normal);
    x[7] = NaN; x[33] = Infinity;
    const t = new Tensor('float32', x, dims);
    for (let axis = 0; axis < 3; axis++) {
      const strides = [20, 5, 1];
      const want = { min: new Array<number>(dims[axis]!).fill(Infinity), max: new Array<number>(dims[axis]!).fill(-Infinity) };
      x.forEach((v, i) => {
        if (!Number.isFinite(v)) return;
        const c = Math.floor(i / strides[axis]!) % dims[axis]!;
        want.min[c] = Math.min(want.min[c]!, v);
        want.max[c] = Math.max(want.max[c]!, v);
      });
      const got = channelMinMax(t, axis);
      expect([...got.min], `axis ${axis}`).toEqual(want.min);
      expect([...got.max], `axis ${axis}`).toEqual(want.max);
      expect(got.nonFinite).toBe(2);
    }
  });
});
