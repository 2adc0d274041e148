import { describe, expect, it } from 'vitest';
import { computeQParams, createObserver, type HistogramObserver, isQtkError, quantSpec, PER_TENSOR, seededRandom, Tensor, type HistogramView, type Observer } from '@qtk/core';
import { tensorrtCalibrator, TRT_DEFAULT_PERCENTILE } from './tensorrtCalibrator.js';

/** TensorRT's activation grid: symmetric int8 on [-127, 127], so scale = amax / 127. */
const TRT_INT8 = quantSpec({ dtype: 'int8', symmetric: true, narrowRange: true, granularity: PER_TENSOR, observer: { kind: 'minmax' } });

/** `n` Laplace(0, 1) values, signed, from a fixed seed, with a few far outliers. */
function laplace(n: number, seed: number): Float32Array {
  const r = seededRandom(seed);
  const x = Float32Array.from({ length: n }, () => {
    const u = r() - 0.5;
    return -Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
  });
  for (let k = 0; k < 5; k++) x[k * 997] = (k % 2 ? -1 : 1) * (25 + 10 * k);
  return x;
}

/** The amax an observer's TensorRT-grid scale stands for (127 · scale). */
function amaxOf(obs: Observer): number {
  return 127 * obs.calcQParams(TRT_INT8).scale[0]!;
}

/**
 * pytorch-quantization's `_compute_amax_entropy` (calib/histogram.py) written out as it
 * reads, for a histogram of |x| with bin edges `k * width`: bin 0 takes bin 1's count;
 * for each i from `startBin` to the bin count, P is bins 0..i-1 with every count from bin
 * i on added to bin i-1; Q merges bins 0..i-1 (as counted, without those outliers) into
 * `nbins` groups (bin j in group floor(j·nbins/i), numpy's digitize over linspace(0, i,
 * nbins + 1)), spread evenly over the group's bins whose count is non-zero; the
 * divergence is scipy's entropy(P, Q) of the normalised P and Q (infinite where Q is 0
 * and P is not); the result is the edge of the last i with the least divergence.
 */
function pytorchQuantizationAmax(bins: Float64Array, width: number, numBits = 8, unsigned = false, startBin = 128): number {
  const c = Array.from(bins);
  c[0] = c[1]!;
  const nbins = 1 << (numBits - 1 + (unsigned ? 1 : 0));
  const divergences: number[] = [];
  for (let i = startBin; i <= c.length; i++) {
    const digitized = Array.from({ length: i }, (_, j) => (c[j] === 0 ? -1 : Math.floor((j * nbins) / i)));
    const sums = new Array<number>(nbins).fill(0), counts = new Array<number>(nbins).fill(0);
    digitized.forEach((g, j) => { if (g !== -1) { sums[g]! += c[j]!; counts[g]!++; } });
    const q = digitized.map((g) => (g === -1 ? 0 : sums[g]! / counts[g]!));
    const p = c.slice(0, i);
    p[i - 1]! += c.slice(i).reduce((a, b) => a + b, 0);
    const ps = p.reduce((a, b) => a + b, 0), qs = q.reduce((a, b) => a + b, 0);
    let kl = 0;
    for (let j = 0; j < i; j++) {
      if (p[j] === 0) continue;
      kl += q[j] === 0 ? Infinity : (p[j]! / ps) * Math.log((p[j]! / ps) / (q[j]! / qs));
    }
    divergences.push(kl);
  }
  let last = 0;
  divergences.forEach((d, k) => { if (d <= divergences[last]!) last = k; });
  return (last + startBin) * width;
}

/** The |x| histogram of a signed view, merged to fewer than 2·`target` bins as core's observer does before its search. */
function absoluteBins(v: HistogramView, target: number): { bins: Float64Array; width: number } {
  const n = Math.max(v.base + v.counts.length, -v.base, 1);
  const folded = new Float64Array(n);
  v.counts.forEach((c, j) => { const k = v.base + j; folded[k >= 0 ? k : -k - 1] += c; });
  const factor = Math.max(1, Math.floor(n / target));
  const bins = new Float64Array(Math.ceil(n / factor));
  folded.forEach((c, k) => { bins[Math.floor(k / factor)] += c; });
  return { bins, width: v.width * factor };
}

describe('tensorrtCalibrator', () => {
  it('maps each method to core options with symmetric int8 activations and the header algorithm it writes', () => {
    expect(tensorrtCalibrator()).toMatchObject({ method: 'entropy', options: { method: 'entropy', activationType: 'int8', symmetricActivations: true }, algorithm: 'EntropyCalibration2' });
    expect(tensorrtCalibrator('entropy').observer).toEqual({ kind: 'histogram', strategy: 'entropy', bins: 2048, quantizedBins: 128, startBin: 128 });
    expect(tensorrtCalibrator('minmax')).toMatchObject({ options: { method: 'minmax' }, observer: { kind: 'minmax' }, algorithm: 'MinMaxCalibration' });
    expect(tensorrtCalibrator('percentile')).toMatchObject({ options: { method: 'percentile', percentile: 99.99 }, algorithm: 'EntropyCalibration2' });
    expect(tensorrtCalibrator('percentile', { percentile: 99.9 }).options.percentile).toBe(99.9);
    expect(tensorrtCalibrator('mse')).toMatchObject({ options: { method: 'mse' }, observer: { kind: 'histogram', strategy: 'mse', bins: 2048 }, algorithm: 'EntropyCalibration2' });
  });

  it.each([
    [() => tensorrtCalibrator('kl' as never), 'method'],
    [() => tensorrtCalibrator('entropy', { percentile: 99 }), 'percentile'],
    [() => tensorrtCalibrator('percentile', { percentile: 0 }), 'percentile'],
  ])('refuses a bad method or percentile with E_OPTION naming the option (%#)', (fn, option) => {
    try {
      fn();
      expect.unreachable();
    } catch (e) {
      expect(isQtkError(e, 'E_OPTION') && e.where.option).toBe(option);
    }
  });

  it.each([11, 12, 13])("entropy gives pytorch-quantization's _compute_amax_entropy threshold on the same |x| histogram (Laplace data, seed %i)", (seed) => {
    const obs = createObserver(tensorrtCalibrator('entropy').observer, { tensor: 't' }) as HistogramObserver;
    for (let b = 0; b < 4; b++) obs.update(new Tensor('float32', laplace(50_000, seed * 10 + b), [50_000]));
    const { bins, width } = absoluteBins(obs.histogram.view()!, 2048);
    expect(bins.length).toBeGreaterThanOrEqual(2048);
    const want = pytorchQuantizationAmax(bins, width);
    const r = obs.range();
    const got = Math.max(-r.min[0]!, r.max[0]!);
    expect(got).toBe(Math.fround(want));
    // A real clip: the outliers (25 to 65) and the far tail lie beyond it.
    expect(got).toBeLessThan(20);
    expect(got).toBeGreaterThan(5);
  });

  it.each([21, 22])("entropy on ReLU outputs (half exact zeros, signed int8 as TensorRT) gives pytorch-quantization's threshold (seed %i)", (seed) => {
    const obs = createObserver(tensorrtCalibrator('entropy').observer, { tensor: 't' }) as HistogramObserver;
    for (let b = 0; b < 4; b++) obs.update(new Tensor('float32', laplace(50_000, seed * 10 + b).map((v) => Math.max(v, 0)), [50_000]));
    const { bins, width } = absoluteBins(obs.histogram.view()!, 2048);
    const want = pytorchQuantizationAmax(bins, width);
    expect(obs.calcQParams(TRT_INT8).scale[0]).toBe(computeQParams([0], [Math.fround(want)], TRT_INT8).scale[0]);
    expect(want).toBeLessThan(20);
  });

  it('minmax gives amax = max |x| over all batches', () => {
    const obs = createObserver(tensorrtCalibrator('minmax').observer, { tensor: 't' });
    let amax = 0;
    for (let b = 0; b < 3; b++) {
      const x = laplace(10_000, 40 + b).map((v) => v * (b + 1));
      x.forEach((v) => { amax = Math.max(amax, Math.abs(v)); });
      obs.update(new Tensor('float32', x, [x.length]));
    }
    expect(amaxOf(obs)).toBe(127 * Math.fround(amax / 127));
    expect(Math.max(-obs.range().min[0]!, obs.range().max[0]!)).toBe(amax);
  });

  it('percentile 99.99 keeps |x| up to its 99.99th percentile: about 9999 of 1..10000', () => {
    const cal = tensorrtCalibrator('percentile');
    expect(cal.options.percentile).toBe(TRT_DEFAULT_PERCENTILE);
    const obs = createObserver(cal.observer, { tensor: 't' }) as HistogramObserver;
    // |x| = 1, 2, ..., 10000 with alternating signs: 99.99 % of the values lie at or below 9999.
    obs.update(new Tensor('float32', Float32Array.from({ length: 10_000 }, (_, i) => (i % 2 ? -1 : 1) * (i + 1)), [10_000]));
    const width = obs.histogram.view()!.width;
    const amax = amaxOf(obs);
    expect(Math.abs(amax - 9999)).toBeLessThanOrEqual(width);
    expect(amax).toBeLessThan(10_000);
  });
});
