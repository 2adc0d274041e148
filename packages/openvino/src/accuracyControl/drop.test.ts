import { describe, expect, it } from 'vitest';
import { isQtkError } from '@qtk/core';
import { dropOptions, metricDrop } from './drop.js';

describe('metricDrop', () => {
  it('measures absolute and relative drops against the float metric', () => {
    expect(metricDrop(0.9, 0.85, 'absolute')).toBeCloseTo(0.05, 12);
    expect(metricDrop(0.8, 0.6, 'relative')).toBeCloseTo(0.25, 12);
    expect(metricDrop(-2, -3, 'relative')).toBeCloseTo(0.5, 12);
  });

  it('refuses a relative drop from a float metric of 0, and a negative maxDrop', () => {
    expect(() => metricDrop(0, 0.1, 'relative')).toThrow(/relative drop is undefined/);
    let err: unknown;
    try { dropOptions({ maxDrop: -1 }); } catch (e) { err = e; }
    expect(isQtkError(err, 'E_OPTION') && (err as { where: { option?: string } }).where.option).toBe('maxDrop');
  });
});
