import { describe, expect, it } from 'vitest';
import { quantizeBias } from './quantizeBias.js';

describe('quantizeBias', () => {
  it('rounds ties to the even neighbour: 2.5 → 2, 3.5 → 4, -2.5 → -2, -3.5 → -4, 0.5 → 0', () => {
    const { values, overflow } = quantizeBias([2.5, 3.5, -2.5, -3.5, 0.5, 1.5], [1]);
    expect([...values]).toEqual([2, 4, -2, -4, 0, 2]);
    expect(overflow).toBe(false);
  });

  it('divides by the scale of each channel, or by the one scale when there is one', () => {
    expect([...quantizeBias([1, 1], [0.5, 0.25]).values]).toEqual([2, 4]);
    expect([...quantizeBias([1, -1], [0.5]).values]).toEqual([2, -2]);
  });

  it('gives 0 where the scale is 0 (no NaN or Infinity reaches the integers)', () => {
    expect([...quantizeBias([3, 1], [0, 1]).values]).toEqual([0, 1]);
  });

  it('clamps values beyond int32 and reports the overflow', () => {
    const q = quantizeBias([1e10, -1e10, 5], [1]);
    expect([...q.values]).toEqual([2147483647, -2147483648, 5]);
    expect(q.overflow).toBe(true);
  });
});
