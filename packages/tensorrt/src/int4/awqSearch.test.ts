import { describe, expect, it } from 'vitest';
import { Rng } from '@qtk/models';
import { ActivationMean, awqScale, weightMean } from './awqScale.js';
import { layerMeter, scaledOutputError, searchAwqScale, type LayerData } from './awqSearch.js';
import { alphaGrid } from './int4Options.js';
import { matmul, meanSquaredError, OutputErrorMeter } from './outputError.js';
import { outlierRows } from './test-support/int4Fixtures.js';

const K = 256;
const N = 48;
const T = 96;

/** A layer whose input channels 3, 70, 140 and 200 are 40 times larger than the others. */
function outlierLayer(): LayerData {
  return { x: outlierRows(1, T, K, [3, 70, 140, 200], 40), w: new Rng(2).normalArray(K * N, 0, 0.05), t: T, k: K, n: N };
}

function search(layer: LayerData, blockSize = 128) {
  const mean = new ActivationMean(layer.k);
  mean.add(layer.x);
  return searchAwqScale(layer, blockSize, alphaGrid(0.1), mean.mean(), weightMean(layer.w, layer.k, layer.n, blockSize));
}

describe('awq_lite scale search', () => {
  it('alpha grid of step 0.1 is the 11 values 0, 0.1, …, 1', () => {
    expect(alphaGrid(0.1)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(alphaGrid(0.25)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('on a MatMul whose input has outlier channels, awq_lite picks alpha > 0 and its output MSE is below RTN (block 128 and 64)', () => {
    for (const blockSize of [128, 64]) {
      const r = search(outlierLayer(), blockSize);
      expect(r.alpha).toBeGreaterThan(0);
      expect(r.mse).toBeLessThan(0.7 * r.rtnMse);
      expect(r.losses.map((l) => l.alpha)).toEqual(alphaGrid(0.1));
      expect(r.mse).toBe(Math.min(...r.losses.map((l) => l.mse)));
    }
  });

  it('the scale of the best alpha is largest on the outlier channels and normalised so that max·min = 1', () => {
    const r = search(outlierLayer());
    const s = Array.from(r.scale);
    const top4 = s.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]).slice(0, 4).map(([, i]) => i).sort((a, b) => a - b);
    expect(top4).toEqual([3, 70, 140, 200]);
    expect(Math.max(...s) * Math.min(...s)).toBeCloseTo(1, 5);
  });

  it("alpha = 0 scales by 1 / w_mean (normalised), not by 1: awq_lite's grid does not contain plain RTN", () => {
    const wMean = [0.25, 0.5, 1];
    const s = awqScale([3, 1, 7], wMean, 0);
    // 1/w_mean = [4, 2, 1], divided by sqrt(4·1) = 2
    expect(Array.from(s)).toEqual([2, 1, 0.5]);
  });

  it('alpha = 0 reproduces RTN exactly on a layer whose input channels have equal weight means', () => {
    // row k holds |w| = 0.25, 0.5, 0.75, 1 cycled and shifted by k: every block column has absmax 1, every row mean 0.625
    const n = 32;
    const rng = new Rng(5);
    const w = Float32Array.from({ length: K * n }, (_, i) => (rng.uniform() < 0.5 ? -1 : 1) * ((((i % n) + Math.floor(i / n)) % 4) + 1) / 4);
    const layer: LayerData = { x: outlierRows(6, T, K, [9], 30), w, t: T, k: K, n };
    const r = search(layer);
    expect(r.losses[0]!.alpha).toBe(0);
    expect(r.losses[0]!.mse).toBe(r.rtnMse);
    expect(r.rtnMse).toBeGreaterThan(0);
  });

  it('a unit scale gives the RTN error bit for bit: the scaled path adds nothing of its own', () => {
    const layer = outlierLayer();
    const meter = layerMeter(layer);
    expect(scaledOutputError(layer, 128, new Float32Array(K).fill(1), meter)).toBe(scaledOutputError(layer, 128, undefined, meter));
  });

  it('weight mean is |w| over the absmax of its contiguous block along K, averaged over columns; a short last block is its own block', () => {
    // K = 3, N = 2, block 2: rows 0-1 form a block, row 2 is alone
    const w = Float32Array.from([1, -4, -2, 2, 3, 0.5]);
    const m = weightMean(w, 3, 2, 2);
    expect(m[0]).toBeCloseTo((0.5 + 1) / 2, 12);
    expect(m[1]).toBeCloseTo((1 + 0.5) / 2, 12);
    expect(m[2]).toBeCloseTo((1 + 1) / 2, 12);
  });

  it('activation mean is the mean |x| per channel over every row added', () => {
    const a = new ActivationMean(2);
    a.add(Float32Array.from([1, -2, -3, 4]));
    a.add(Float32Array.from([5, 0]));
    expect(Array.from(a.mean())).toEqual([3, 2]);
  });

  it('with more tokens than channels the error goes through xᵀx and equals the direct error to 1e-9', () => {
    const t = 300;
    const k = 64;
    const n = 40;
    const x = outlierRows(8, t, k, [7], 20);
    const w = new Rng(9).normalArray(k * n, 0, 0.1);
    const e = w.map((v, i) => v + 0.01 * Math.sin(i));
    const direct = meanSquaredError(matmul(x, w, t, k, n), matmul(x, e, t, k, n));
    const viaGram = new OutputErrorMeter(x, w, t, k, n).mse(e);
    expect(direct).toBeGreaterThan(0);
    expect(Math.abs(viaGram - direct) / direct).toBeLessThan(1e-9);
  });
});
