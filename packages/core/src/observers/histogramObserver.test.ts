import { describe, expect, it } from 'vitest';
import { isQtkError } from '../errors/QtkError.js';
import { Tensor } from '../ir/tensor.js';
import { computeQParams } from '../quant/qparams.js';
import { type ObserverConfig, PER_TENSOR, quantSpec } from '../spec/quantSpec.js';
import { createObserver } from './create.js';
import { HistogramObserver, histogramObserverPlugin } from './histogramObserver.js';
import { MinMaxObserver } from './minmax.js';
import type { Observer } from './observer.js';
import { seeded } from './test-support/seeded.js';

type Strategy = 'entropy' | 'percentile' | 'mse';
const hist = (strategy: Strategy, extra: Partial<Extract<ObserverConfig, { kind: 'histogram' }>> = {}) =>
  new HistogramObserver('t', { kind: 'histogram', strategy, ...extra });
const tensor = (x: Float32Array) => new Tensor('float32', x, [x.length]);
const uint8 = quantSpec({ dtype: 'uint8', symmetric: false, granularity: PER_TENSOR, observer: { kind: 'minmax' } });

/** Gaussian batches with one outlier of magnitude 40..60 per batch (4 in a million values). */
function gaussianWithOutliers(seed: number): Float32Array[] {
  const r = seeded(seed);
  return [0, 1, 2, 3].map((b) => {
    const x = r.fill(250_000, r.normal);
    x[Math.floor(r.uniform() * x.length)] = (b % 2 ? -1 : 1) * (40 + 20 * r.uniform());
    return x;
  });
}

/** Laplace batches (heavy-tailed: the largest of n values grows like ln n). */
function laplace(seed: number, n = 250_000): Float32Array[] {
  const r = seeded(seed);
  return [0, 1].map(() => r.fill(n, r.laplace));
}

/** Mean squared error of fake-quantizing `xs` with the observer's uint8 qparams. */
function quantMse(obs: Observer, xs: Float32Array[]): number {
  const { scale, zeroPoint } = obs.calcQParams(uint8);
  const s = scale[0]!, z = zeroPoint[0]!;
  let sum = 0, n = 0;
  for (const x of xs) for (const v of x) {
    const q = Math.min(255, Math.max(0, Math.round(v / s) + z));
    sum += (s * (q - z) - v) ** 2; n++;
  }
  return sum / n;
}

function observe(obs: Observer, xs: Float32Array[]): Observer {
  for (const x of xs) obs.update(tensor(x));
  return obs;
}

describe('HistogramObserver strategies', () => {
  const data = gaussianWithOutliers(21);
  const minmax = observe(new MinMaxObserver('t'), data).range();

  it('minmax keeps the outliers (|range| ≥ 40) while entropy and percentile clip them to the Gaussian bulk', () => {
    expect(minmax.max[0]).toBeGreaterThan(40);
    expect(minmax.min[0]).toBeLessThan(-40);
    for (const s of ['entropy', 'percentile'] as const) {
      const r = observe(hist(s), data).range();
      expect(r.max[0], s).toBeLessThan(8);
      expect(r.min[0], s).toBeGreaterThan(-8);
      // ... but keep the bulk: a standard normal has |x| > 3 for 0.27 % of values.
      expect(r.max[0], s).toBeGreaterThan(3);
      expect(r.min[0], s).toBeLessThan(-3);
    }
  });

  it('entropy on non-negative data (ReLU output) gives [0, T] with T inside the data', () => {
    const relu = data.map((x) => x.map((v) => Math.max(0, v)));
    const r = observe(hist('entropy'), relu).range();
    expect(r.min[0]).toBe(0);
    expect(r.max[0]).toBeGreaterThan(2);
    expect(r.max[0]).toBeLessThan(8);
  });

  it('mse gives lower measured quantization error than minmax on heavy-tailed (Laplace) data', () => {
    const lap = laplace(25);
    const mse = quantMse(observe(hist('mse'), lap), lap);
    const mm = quantMse(observe(new MinMaxObserver('t'), lap), lap);
    expect(mse).toBeLessThan(mm * 0.8);
  });

  it('mse range measures within 3 % of the best of a 16 x 16 grid of ranges on heavy-tailed data', () => {
    const lap = laplace(26, 40_000);
    const obs = observe(hist('mse'), lap);
    const mse = quantMse(obs, lap);
    const { min, max } = observe(new MinMaxObserver('t'), lap).range();
    let best = Infinity;
    for (let a = 1; a <= 16; a++) {
      for (let b = 1; b <= 16; b++) {
        const o = new MinMaxObserver('t');
        o.update(tensor(Float32Array.of((min[0]! * a) / 16, (max[0]! * b) / 16)));
        best = Math.min(best, quantMse(o, lap));
      }
    }
    expect(mse).toBeLessThan(best * 1.03);
  });

  it('mse on uniform data matches minmax within 5 % of its error', () => {
    const r = seeded(22);
    const u = [r.fill(400_000, () => r.uniform() * 6 - 2)];
    const mse = quantMse(observe(hist('mse'), u), u);
    const mm = quantMse(observe(new MinMaxObserver('t'), u), u);
    expect(mse).toBeLessThan(mm * 1.05);
    expect(mse).toBeGreaterThan(mm * 0.8);
  });

  it('mse through calcQParams searches the spec\'s grid: uint8 clips the tails, int16 keeps the full range', () => {
    const lap = laplace(27);
    const obs = observe(hist('mse'), lap);
    const mm = observe(new MinMaxObserver('t'), lap).range();
    const full = mm.max[0]! - mm.min[0]!;
    const q8 = obs.calcQParams(uint8).scale[0]! * 255;
    const q16 = obs.calcQParams(quantSpec({ dtype: 'int16', symmetric: false, granularity: PER_TENSOR, observer: { kind: 'minmax' } })).scale[0]! * 65535;
    expect(q8).toBeLessThan(full * 0.85);
    expect(q16).toBeGreaterThan(full * 0.99);
  });

  it('percentile 100 gives exactly the minmax range', () => {
    const r = observe(hist('percentile', { percentile: 100 }), data).range();
    expect(r.min[0]).toBe(minmax.min[0]);
    expect(r.max[0]).toBe(minmax.max[0]);
  });

  it('percentile cuts (100 - p) / 2 % from each tail, interpolating inside a bin', () => {
    const r = seeded(23);
    const u = r.fill(1_000_000, () => r.uniform() * 10 - 2); // uniform on [-2, 8)
    const range = observe(hist('percentile', { percentile: 90 }), [u]).range();
    expect(range.min[0]).toBeCloseTo(-1.5, 1); // 5 % quantile
    expect(range.max[0]).toBeCloseTo(7.5, 1); // 95 % quantile
  });

  it('symmetric percentile through calcQParams uses the percentile of |x|', () => {
    const r = seeded(24);
    const u = r.fill(1_000_000, () => r.uniform() * 10 - 2); // |x| 90th percentile: 7
    const obs = observe(hist('percentile', { percentile: 90 }), [u]);
    const q = obs.calcQParams(quantSpec({ dtype: 'int8', symmetric: true, granularity: PER_TENSOR, observer: { kind: 'minmax' } }));
    expect(q.scale[0]! * 127.5).toBeCloseTo(7, 1);
  });

  it('skips NaN and Infinity (counted in stats) and ignores them in the range', () => {
    const obs = hist('percentile', { percentile: 100 });
    obs.update(tensor(Float32Array.of(1, NaN, -3, Infinity, 2, -Infinity)));
    expect(obs.stats()).toEqual({ batches: 1, skippedNonFinite: 3 });
    const r = obs.range();
    expect([r.min[0], r.max[0]]).toEqual([-3, 2]);
  });

  for (const s of ['entropy', 'percentile', 'mse'] as const) {
    it(`${s}: an all-zero tensor gives [0, 0] with scale 1 from calcQParams, a single value v gives [0, v]`, () => {
      const z = hist(s);
      z.update(tensor(new Float32Array(100)));
      const rz = z.range();
      expect([rz.min[0], rz.max[0]]).toEqual([0, 0]);
      expect(z.calcQParams(quantSpec({ dtype: 'uint8', symmetric: false, granularity: PER_TENSOR, observer: { kind: 'minmax' } })).scale[0]).toBe(1);
      const one = hist(s);
      one.update(tensor(new Float32Array(50).fill(2.5)));
      const r1 = one.range();
      expect([r1.min[0], r1.max[0]]).toEqual([0, 2.5]);
    });
  }

  it('calcQParams of a clipping strategy equals computeQParams of its range for asymmetric uint8', () => {
    const obs = observe(hist('percentile', { percentile: 99.9 }), data);
    const r = obs.range();
    const want = computeQParams(r.min, r.max, uint8);
    const got = obs.calcQParams(uint8);
    expect([got.scale[0], got.zeroPoint[0]]).toEqual([want.scale[0], want.zeroPoint[0]]);
  });
});

describe('HistogramObserver state', () => {
  const data = gaussianWithOutliers(31);

  it('merging two shards gives the same range as one pass, for every strategy', () => {
    for (const s of ['entropy', 'percentile', 'mse'] as const) {
      const one = observe(hist(s), data);
      const a = observe(hist(s), data.slice(0, 2));
      const b = observe(hist(s), data.slice(2));
      a.merge(b);
      expect(a.range(), s).toEqual(one.range());
      expect(a.stats().batches).toBe(4);
    }
  });

  it('toJSON / fromJSON through the plugin restores an observer with the same range that keeps counting', () => {
    const obs = observe(hist('entropy', { bins: 1024, quantizedBins: 64, startBin: 64 }), data.slice(0, 2));
    const back = histogramObserverPlugin.fromJSON(JSON.parse(JSON.stringify(obs.toJSON())));
    expect(back.range()).toEqual(obs.range());
    observe(back, data.slice(2));
    observe(obs, data.slice(2));
    expect(back.range()).toEqual(obs.range());
  });

  it('range() before any data throws E_OBSERVER naming the tensor', () => {
    let err: unknown;
    try { hist('mse').range(); } catch (e) { err = e; }
    expect(isQtkError(err, 'E_OBSERVER')).toBe(true);
    expect((err as { where: { tensor?: string } }).where.tensor).toBe('t');
  });
});

describe('histogram config validation', () => {
  const bad: [string, Partial<Extract<ObserverConfig, { kind: 'histogram' }>>, string][] = [
    ['bins < quantizedBins', { bins: 64, quantizedBins: 128, startBin: 32 }, 'observer.bins'],
    ['percentile above 100', { percentile: 100.5 }, 'observer.percentile'],
    ['percentile 0', { percentile: 0 }, 'observer.percentile'],
    ['startBin beyond bins', { bins: 256, startBin: 512 }, 'observer.startBin'],
    ['fractional bins', { bins: 100.5 }, 'observer.bins'],
  ];
  for (const [what, cfg, option] of bad) {
    it(`${what} is E_OPTION naming ${option}`, () => {
      let err: unknown;
      try { createObserver({ kind: 'histogram', strategy: 'percentile', ...cfg }, { tensor: 't' }); } catch (e) { err = e; }
      expect(isQtkError(err, 'E_OPTION')).toBe(true);
      expect((err as { where: { option?: string } }).where.option).toBe(option);
    });
  }

  it('an unknown strategy is E_OPTION', () => {
    let err: unknown;
    try { createObserver({ kind: 'histogram', strategy: 'median' as Strategy }, { tensor: 't' }); } catch (e) { err = e; }
    expect(isQtkError(err, 'E_OPTION')).toBe(true);
  });

  it('a per-channel histogram is E_UNSUPPORTED', () => {
    let err: unknown;
    try { createObserver({ kind: 'histogram', strategy: 'mse' }, { tensor: 't', axis: 0 }); } catch (e) { err = e; }
    expect(isQtkError(err, 'E_UNSUPPORTED')).toBe(true);
  });
});

describe('HistogramObserver.updateReduced', () => {
  const rng = seeded(3);
  const data = rng.fill(4000, rng.laplace);
  it('a stride-1 sample counts exactly as the whole tensor does', () => {
    const a = new HistogramObserver('t', { kind: 'histogram', strategy: 'mse' });
    const b = new HistogramObserver('t', { kind: 'histogram', strategy: 'mse' });
    a.update(new Tensor('float32', data, [4000]));
    b.updateReduced({ sample: data, stride: 1 });
    expect(b.histogram.toJSON()).toEqual(a.histogram.toJSON());
    expect(b.range()).toEqual(a.range());
  });
  it('each value of a stride-k sample counts k times', () => {
    const o = new HistogramObserver('t', { kind: 'histogram', strategy: 'percentile' });
    o.updateReduced({ sample: Float32Array.of(1, 2, 3, Number.NaN), stride: 5 });
    expect(o.histogram.total).toBe(15);
    expect(o.histogram.nonFinite).toBe(5);
    expect(o.stats().batches).toBe(1);
  });
  it('a missing sample or a bad stride is an E_OBSERVER error naming the tensor', () => {
    const o = new HistogramObserver('act7', { kind: 'histogram', strategy: 'entropy' });
    expect(() => o.updateReduced({ min: 0, max: 1 })).toThrow(/act7/);
    expect(() => o.updateReduced({ sample: Float32Array.of(1), stride: 1.5 })).toThrow(/stride 1\.5 of 'act7'/);
  });
});

describe('HistogramObserver range search', () => {
  it('searches once per target until new data arrives, and new data changes the answer', () => {
    const rng = seeded(9);
    const o = new HistogramObserver('t', { kind: 'histogram', strategy: 'entropy' });
    o.update(new Tensor('float32', rng.fill(5000, rng.normal), [5000]));
    const spec = quantSpec({ dtype: 'uint8', symmetric: false });
    const first = o.calcQParams(spec);
    expect(o.calcQParams(spec)).toEqual(first);
    const r = o.range();
    r.max[0] = 1e9; // callers get copies
    expect(o.range().max[0]).not.toBe(1e9);
    o.update(new Tensor('float32', rng.fill(5000, () => 20 * rng.normal()), [5000]));
    expect(o.calcQParams(spec).scale[0]).toBeGreaterThan(first.scale[0]!);
  });
});
