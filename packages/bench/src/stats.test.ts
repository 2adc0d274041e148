import { describe, expect, it } from 'vitest';
import { isQtkError } from '@qtk/core';
import { mad, median, quantile, summarize } from './stats.js';

describe('timing statistics', () => {
  it('takes the median of odd and even counts, in any order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('interpolates quantiles linearly between order statistics', () => {
    const xs = [10, 20, 30, 40, 50];
    expect(quantile(xs, 0)).toBe(10);
    expect(quantile(xs, 1)).toBe(50);
    expect(quantile(xs, 0.9)).toBeCloseTo(46);
    expect(quantile(xs, 0.25)).toBe(20);
  });

  it('summarises spread as IQR and MAD, robust to one outlier', () => {
    const s = summarize([10, 11, 12, 13, 1000]);
    expect(s.median).toBe(12);
    expect(s.iqr).toBe(2);
    expect(s.mad).toBe(1);
    expect(s.max).toBe(1000);
    expect(s.mean).toBeCloseTo(209.2);
    expect(s.n).toBe(5);
    expect(mad([1, 1, 1])).toBe(0);
  });

  it('puts p99 between p90 and the maximum', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    const s = summarize(xs);
    expect(s.p90).toBeCloseTo(90.1);
    expect(s.p99).toBeCloseTo(99.01);
  });

  it('refuses empty and non-finite samples with E_OPTION naming the sample', () => {
    let err: unknown;
    try { summarize([]); } catch (e) { err = e; }
    expect(isQtkError(err, 'E_OPTION')).toBe(true);
    expect(() => summarize([1, NaN])).toThrow(/sample 1 is NaN/);
    expect(() => quantile([1, 2], 1.5)).toThrow(/\[0, 1\]/);
  });
});
