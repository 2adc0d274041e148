import { describe, expect, it } from 'vitest';
import { Tensor } from '../ir/tensor.js';
import { kmeans1d, nearestEntry } from './kmeans.js';
import { seededRandom } from './random.js';
import { computeQParams } from './qparams.js';
import { fakeQuantize } from './quantize.js';
import { expectQtkError } from '../test-support/expectQtkError.js';

/** Standard normal samples (Box-Muller over the seeded generator). */
function gaussian(n: number, seed: number, mean = 0, sd = 1): Float32Array {
  const r = seededRandom(seed);
  return Float32Array.from({ length: n }, () => mean + sd * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()));
}
const mse = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0) / a.length;
const decode = (c: { codebook: Float32Array; indices: ArrayLike<number> }) => Float32Array.from(c.indices, (i) => c.codebook[i]!);

/** Mean squared error of uniform asymmetric quantization with `levels` levels over the tensor's range. */
function uniformMse(x: Float32Array, dtype: 'uint4' | 'uint8'): number {
  const lo = x.reduce((a, b) => Math.min(a, b));
  const hi = x.reduce((a, b) => Math.max(a, b));
  const { scale, zeroPoint } = computeQParams([lo], [hi], { dtype, symmetric: false });
  return mse(x, fakeQuantize(new Tensor('float32', x, [x.length]), scale, zeroPoint, dtype).data as Float32Array);
}

describe('kmeans1d', () => {
  it('clusters two well separated groups into their means', () => {
    const c = kmeans1d(Float32Array.of(-1, -0.9, 1, 1.1), 2);
    expect(Array.from(c.codebook)).toEqual([Math.fround(-0.95), Math.fround(1.05)]);
    expect(Array.from(c.indices)).toEqual([0, 0, 1, 1]);
  });

  it('has less error than uniform 4-bit on a bimodal weight (16 entries)', () => {
    const x = new Float32Array(8000);
    x.set(gaussian(4000, 3, -2, 0.1));
    x.set(gaussian(4000, 4, 2, 0.1), 4000);
    const km = mse(x, decode(kmeans1d(x, 16)));
    const uni = uniformMse(x, 'uint4');
    expect(km).toBeLessThan(uni / 4);
  });

  it('has less error than uniform 8-bit on a gaussian weight (256 entries)', () => {
    const x = gaussian(20000, 5);
    expect(mse(x, decode(kmeans1d(x, 256)))).toBeLessThan(uniformMse(x, 'uint8'));
  });

  it('gives the same codebook for the same seed', () => {
    const x = gaussian(3000, 9);
    expect(Array.from(kmeans1d(x, 16, { seed: 7 }).codebook)).toEqual(Array.from(kmeans1d(x, 16, { seed: 7 }).codebook));
  });

  it('keeps every value exactly when there are at most k distinct values', () => {
    const x = Float32Array.of(0.5, -0.25, 0.5, 3, -0.25);
    const c = kmeans1d(x, 16);
    expect(Array.from(decode(c))).toEqual(Array.from(x));
  });

  it('assigns every value its nearest entry and NaN the entry nearest 0', () => {
    const x = gaussian(500, 11);
    x[7] = NaN;
    const c = kmeans1d(x, 16);
    for (let i = 0; i < x.length; i++) {
      if (i === 7) continue;
      const d = Math.abs(x[i]! - c.codebook[c.indices[i]!]!);
      for (const e of c.codebook) expect(d).toBeLessThanOrEqual(Math.abs(x[i]! - e));
    }
    expect(c.indices[7]).toBe(nearestEntry(c.codebook, 0));
  });

  it('refuses k outside 2 … 65536 (E_OPTION) and all-NaN data (E_DTYPE)', () => {
    expectQtkError(() => kmeans1d(Float32Array.of(1, 2), 1), 'E_OPTION', 'k-means');
    expectQtkError(() => kmeans1d(Float32Array.of(NaN, NaN), 4), 'E_DTYPE', 'none finite');
  });
});
