import { describe, expect, it } from 'vitest';
import { smallestPassing } from './search.js';

describe('smallestPassing', () => {
  it('bisection finds the same k as the step-by-step search for every threshold of a monotone predicate, in fewer calls', async () => {
    for (let n = 1; n <= 40; n++) {
      for (let threshold = 1; threshold <= n + 1; threshold++) {
        const calls = { bisect: 0, sequential: 0 };
        const passes = (s: 'bisect' | 'sequential') => async (k: number) => { calls[s]++; return k >= threshold; };
        const b = await smallestPassing(n, passes('bisect'), 'bisect');
        const s = await smallestPassing(n, passes('sequential'), 'sequential');
        expect(b).toBe(s);
        expect(b).toBe(threshold > n ? undefined : threshold);
        if (threshold > 8 && threshold <= n) expect(calls.bisect).toBeLessThan(calls.sequential);
      }
    }
  });

  it('returns only a k whose call passed, even when the predicate is not monotone', async () => {
    const pass = new Set([3, 7, 8]);
    const seen = new Map<number, boolean>();
    const k = await smallestPassing(10, async (k) => { const p = pass.has(k); seen.set(k, p); return p; }, 'bisect');
    expect(k).toBeDefined();
    expect(seen.get(k!)).toBe(true);
  });
});
