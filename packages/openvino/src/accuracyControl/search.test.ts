import { describe, expect, it } from 'vitest';
import { refine, smallestPassing } from './search.js';

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

describe('refine', () => {
  it('gives back the entries a passing list did not need, measuring each removal', async () => {
    const needed = new Set([3, 7]);
    const entries = Array.from({ length: 10 }, (_, i) => i);
    const tried: number[][] = [];
    const kept = await refine(entries, entries, async (trial) => { tried.push([...trial]); return [...needed].every((n) => trial.includes(n)) ? trial : undefined; }, 100);
    expect([...kept].sort()).toEqual([3, 7]);
    for (const t of tried) expect(t.length).toBeLessThan(entries.length);
  });

  it('stops after maxTries and returns the last list that passed', async () => {
    let calls = 0;
    const kept = await refine([1, 2, 3, 4], [1, 2, 3, 4], async (trial) => { calls++; return trial.includes(4) ? trial : undefined; }, 1);
    expect(calls).toBe(1);
    expect(kept).toEqual([3, 4]);
  });
});
