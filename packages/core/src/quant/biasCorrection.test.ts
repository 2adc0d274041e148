import { describe, expect, it } from 'vitest';
import { weightMeanShift } from './biasCorrection.js';
import { seededRandom } from './random.js';

/** Uniform numbers in [-1, 1) (mulberry32). */
function random(n: number, seed: number): Float32Array {
  const r = seededRandom(seed);
  return Float32Array.from({ length: n }, () => r() * 2 - 1);
}

/**
 * Output of a grouped conv without padding at one position where every input channel c
 * holds the constant `x[c]`: the reference the shift must equal for weight differences.
 */
function convOfConstant(w: Float32Array, dims: number[], group: number, x: Float32Array): Float64Array {
  const [m, cg, kh, kw] = dims as [number, number, number, number];
  const out = new Float64Array(m);
  for (let o = 0; o < m; o++) {
    const g = Math.floor(o / (m / group));
    for (let c = 0; c < cg; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) out[o] += w[((o * cg + c) * kh + i) * kw + j]! * x[g * cg + c]!;
  }
  return out;
}

describe('weightMeanShift', () => {
  it('gives the doc example: a 1x1 conv weight moved by 0.02 on an input of mean 2 shifts that channel by 0.04', () => {
    const s = weightMeanShift(Float32Array.of(0.5, 1), Float32Array.of(0.52, 1), [2, 1, 1, 1], Float32Array.of(2), { kind: 'conv', group: 1 });
    expect(s[0]).toBeCloseTo(0.04, 6);
    expect(s[1]).toBe(0);
  });

  it.each([1, 2, 4])('conv group %i: equals conv(wq) - conv(w) on channel-constant inputs', (group) => {
    const dims = [8, 8 / group, 3, 3];
    const n = dims.reduce((a, b) => a * b, 1);
    const w = random(n, 1), wq = random(n, 2), mean = random(8, 3);
    const s = weightMeanShift(w, wq, dims, mean, { kind: 'conv', group });
    const a = convOfConstant(wq, dims, group, mean), b = convOfConstant(w, dims, group, mean);
    for (let o = 0; o < 8; o++) expect(s[o]).toBeCloseTo(a[o]! - b[o]!, 5);
  });

  it.each([false, true])('gemm transB=%s: equals mean @ (wq - w) with the weight read as the flag says', (transB) => {
    const [k, nOut] = [5, 3];
    const dims = transB ? [nOut, k] : [k, nOut];
    const w = random(k * nOut, 4), wq = random(k * nOut, 5), mean = random(k, 6);
    const s = weightMeanShift(w, wq, dims, mean, { kind: 'gemm', transB });
    for (let o = 0; o < nOut; o++) {
      let ref = 0;
      for (let i = 0; i < k; i++) { const at = transB ? o * k + i : i * nOut + o; ref += (wq[at]! - w[at]!) * mean[i]!; }
      expect(s[o]).toBeCloseTo(ref, 5);
    }
  });

  it('throws RangeError when the means do not match the input channels the weight reads', () => {
    expect(() => weightMeanShift(new Float32Array(4), new Float32Array(4), [2, 2, 1, 1], new Float32Array(3), { kind: 'conv', group: 1 })).toThrow(RangeError);
  });
});
