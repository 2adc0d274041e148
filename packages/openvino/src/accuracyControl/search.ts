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
