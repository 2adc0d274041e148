import { describe, expect, it } from 'vitest';
import { Tensor } from '../ir/tensor.js';
import { computeQParams } from '../quant/qparams.js';
import { quantSpec } from '../spec/quantSpec.js';
import { MeanMinMaxObserver, meanMinMaxObserverPlugin, sampleExtrema } from './meanMinMax.js';
import { seeded } from './test-support/seeded.js';

/** Per-sample [min, max] of rows of length `len` (finite values only). */
function rowExtrema(x: Float32Array, len: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < x.length; i += len) {
    const row = [...x.subarray(i, i + len)].filter(Number.isFinite);
    if (row.length) out.push([Math.min(...row), Math.max(...row)]);
  }
  return out;
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

describe('MeanMinMaxObserver', () => {
  it('per tensor: the range is the mean of each sample\'s min and max over all batches', () => {
    const r = seeded(11);
    const b1 = r.fill(4 * 50, r.normal), b2 = r.fill(3 * 50, () => r.normal() * 2);
    const o = new MeanMinMaxObserver('x');
    o.update(new Tensor('float32', b1, [4, 5, 10]));
    o.update(new Tensor('float32', b2, [3, 5, 10]));
    const ext = [...rowExtrema(b1, 50), ...rowExtrema(b2, 50)];
    const range = o.range();
    expect(range.min[0]).toBeCloseTo(mean(ext.map((e) => e[0])), 5);
    expect(range.max[0]).toBeCloseTo(mean(ext.map((e) => e[1])), 5);
    // A mean of extrema lies strictly inside the overall extrema.
    expect(range.max[0]).toBeLessThan(Math.max(...ext.map((e) => e[1])));
  });

  it('per channel (axis 1 of [N, C, L]): each channel averages its per-sample extrema', () => {
    const r = seeded(12);
    const N = 3, C = 4, L = 6;
    const x = r.fill(N * C * L, r.normal);
    const o = new MeanMinMaxObserver('x', 1);
    o.update(new Tensor('float32', x, [N, C, L]));
    const range = o.range();
    for (let c = 0; c < C; c++) {
      const mins: number[] = [], maxs: number[] = [];
      for (let n = 0; n < N; n++) {
        const row = [...x.subarray((n * C + c) * L, (n * C + c + 1) * L)];
        mins.push(Math.min(...row)); maxs.push(Math.max(...row));
      }
      expect(range.min[c]).toBeCloseTo(mean(mins), 5);
      expect(range.max[c]).toBeCloseTo(mean(maxs), 5);
    }
  });

  it('per channel on axis 2 of [N, H, C] walks the interleaved layout', () => {
    // Sample 0: channel 0 values {1, 3}, channel 1 {-2, 5}; sample 1: channel 0 {0, 4}, channel 1 {7, -6}.
    const x = Float32Array.of(1, -2, 3, 5, 0, 7, 4, -6);
    const e = sampleExtrema(new Tensor('float32', x, [2, 2, 2]), 2);
    expect([...e.min]).toEqual([1, -2, 0, -6]);
    expect([...e.max]).toEqual([3, 5, 4, 7]);
  });

  it('skips NaN and Infinity and leaves out samples with no finite value', () => {
    const x = Float32Array.of(1, NaN, 3, NaN, NaN, NaN, -1, Infinity, 2);
    const o = new MeanMinMaxObserver('x');
    o.update(new Tensor('float32', x, [3, 3]));
    expect(o.stats().skippedNonFinite).toBe(5);
    const range = o.range();
    expect(range.min[0]).toBe(0); // mean of 1 and -1
    expect(range.max[0]).toBe(2.5); // mean of 3 and 2
  });

  it('merging shards equals one pass, and toJSON/fromJSON restores the state', () => {
    const r = seeded(13);
    const batches = [0, 1, 2, 3].map(() => new Tensor('float32', r.fill(16, r.laplace), [2, 8]));
    const one = new MeanMinMaxObserver('x');
    batches.forEach((b) => one.update(b));
    const s1 = new MeanMinMaxObserver('x'), s2 = new MeanMinMaxObserver('x');
    batches.slice(0, 2).forEach((b) => s1.update(b));
    batches.slice(2).forEach((b) => s2.update(b));
    const back = meanMinMaxObserverPlugin.fromJSON(JSON.parse(JSON.stringify(s2.toJSON())));
    s1.merge(back);
    expect(s1.range().min[0]).toBeCloseTo(one.range().min[0]!, 6);
    expect(s1.range().max[0]).toBeCloseTo(one.range().max[0]!, 6);
    expect(s1.stats().batches).toBe(4);
  });

  it('calcQParams equals computeQParams of its range, per channel for a per-axis spec', () => {
    const r = seeded(14);
    const o = new MeanMinMaxObserver('w', 1);
    o.update(new Tensor('float32', r.fill(60, r.normal), [4, 3, 5]));
    const spec = quantSpec({ dtype: 'int8', symmetric: true, granularity: { kind: 'perAxis', axis: 1 }, observer: { kind: 'meanMinMax' } });
    const got = o.calcQParams(spec);
    const want = computeQParams(o.range().min, o.range().max, spec);
    expect([...got.scale]).toEqual([...want.scale]);
    expect([...got.zeroPoint]).toEqual([...want.zeroPoint]);
    expect(got.scale.length).toBe(3);
  });
});
