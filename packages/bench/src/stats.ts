/**
 * Summary statistics of timing samples: median and tail quantiles, with the spread as
 * interquartile range (IQR) and median absolute deviation (MAD). Quantiles interpolate
 * linearly between order statistics (the "type 7" rule of R and NumPy's default).
 */
import { QtkError } from '@qtk/core';

/** What a list of samples (milliseconds, usually) summarises to. */
export interface Summary {
  /** Number of samples. */
  n: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  p90: number;
  p99: number;
  /** Third quartile minus first quartile. */
  iqr: number;
  /** Median of the absolute deviations from the median. */
  mad: number;
}

/** The q-quantile (0 ≤ q ≤ 1) of ascending-sorted samples, interpolating linearly. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new QtkError('E_OPTION', 'cannot take a quantile of no samples');
  if (!(q >= 0 && q <= 1)) throw new QtkError('E_OPTION', `quantile must lie in [0, 1], got ${q}`, { option: 'q' });
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** The q-quantile of samples in any order. */
export function quantile(samples: readonly number[], q: number): number {
  return quantileSorted([...samples].sort((a, b) => a - b), q);
}

/** The median of samples in any order. */
export function median(samples: readonly number[]): number {
  return quantile(samples, 0.5);
}

/** Median absolute deviation from the median. */
export function mad(samples: readonly number[]): number {
  const m = median(samples);
  return median(samples.map((x) => Math.abs(x - m)));
}

/** Summarises samples; throws E_OPTION when there are none or one is not finite. */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new QtkError('E_OPTION', 'cannot summarise an empty list of samples');
  const bad = samples.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new QtkError('E_OPTION', `sample ${bad} is ${samples[bad]}, not a finite number`);
  const s = [...samples].sort((a, b) => a - b);
  const med = quantileSorted(s, 0.5);
  return {
    n: s.length,
    min: s[0]!,
    max: s[s.length - 1]!,
    mean: s.reduce((a, b) => a + b, 0) / s.length,
    median: med,
    p90: quantileSorted(s, 0.9),
    p99: quantileSorted(s, 0.99),
    iqr: quantileSorted(s, 0.75) - quantileSorted(s, 0.25),
    mad: median(s.map((x) => Math.abs(x - med))),
  };
}
