/**
 * The search over the ranked list: the fewest worst-ranked nodes whose reverting to float
 * brings the metric within the bound.
 */
import type { SearchStrategy } from './types.js';


/**
 * The smallest `k` in 1..n with `passes(k)`, or undefined when `passes(n)` fails too
 * (`k = 0`, nothing reverted, is known to fail). `sequential` tries 1, 2, 3, ...;
 * `bisect` tries 1, 2, 4, ... until one passes, then bisects between the last failure
 * and that pass, which finds the same `k` when `passes` is monotone (false up to some
 * k, true from there) in about 2·log2(k) calls. Either way the `k` returned passed
 * when it was called.
 */
export async function smallestPassing(n: number, passes: (k: number) => Promise<boolean>, strategy: SearchStrategy): Promise<number | undefined> {
  if (strategy === 'sequential') {
    for (let k = 1; k <= n; k++) if (await passes(k)) return k;
    return undefined;
  }
  let failed = 0;
  let passed: number | undefined;
  for (let k = 1; ; k = Math.min(2 * k, n)) {
    if (await passes(k)) { passed = k; break; }
    failed = k;
    if (k >= n) return undefined;
  }
  while (passed - failed > 1) {
    const mid = Math.floor((failed + passed) / 2);
    if (await passes(mid)) passed = mid;
    else failed = mid;
  }
  return passed;
}

/**
 * Gives back to quantization what the search reverted but did not need: starting from
 * `entries` (whose candidate `found` passed), tries without halves, then quarters, ...
 * of the list, keeping each removal whose candidate still passes (`tryWithout` gives
 * the candidate when it passes, else undefined), at most `maxTries` calls. Returns the last
 * candidate that passed. Ranking is a proxy, so a list long enough to pass often holds
 * entries that did not matter; this drops them with a measurement each time.
 */
export async function refine<E, M>(entries: readonly E[], found: M, tryWithout: (entries: readonly E[]) => Promise<M | undefined>, maxTries: number): Promise<M> {
  let kept = [...entries];
  let best = found;
  let tries = 0;
  for (let size = Math.ceil(kept.length / 2); size >= 1 && tries < maxTries; size = size === 1 ? 0 : Math.ceil(size / 2)) {
    for (let start = 0; start < kept.length && tries < maxTries;) {
      if (size >= kept.length) break;
      const trial = [...kept.slice(0, start), ...kept.slice(start + size)];
      tries++;
      const m = await tryWithout(trial);
      if (m !== undefined) { kept = trial; best = m; } else start += size;
    }
  }
  return best;
}
