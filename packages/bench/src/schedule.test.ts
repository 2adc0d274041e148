import { describe, expect, it } from 'vitest';
import { interleave } from './schedule.js';

describe('interleaved schedule', () => {
  it('runs one of each variant per round, in variant order: A B A B', () => {
    expect(interleave(2, 3).map((r) => 'AB'[r.variant]).join(' ')).toBe('A B A B A B');
    expect(interleave(3, 2).map((r) => `${r.round}${'ABC'[r.variant]}`)).toEqual(['0A', '0B', '0C', '1A', '1B', '1C']);
  });

  it('gives every variant the same number of runs', () => {
    const runs = interleave(4, 7);
    for (let v = 0; v < 4; v++) expect(runs.filter((r) => r.variant === v).length).toBe(7);
  });

  it('is empty for no variants or no rounds, and refuses negative counts', () => {
    expect(interleave(0, 5)).toEqual([]);
    expect(interleave(3, 0)).toEqual([]);
    expect(() => interleave(-1, 2)).toThrow(/variants must be a non-negative integer/);
  });
});
