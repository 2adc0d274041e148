/**
 * The first `n` calibration samples out of a front end's batches: whole batches while they
 * fit, then the leading rows of the next (every feed that carries the batch is cut alike).
 *
 * Example: batches of 32, 32, 32 and n = 40 give a batch of 32 and one of 8.
 */
import { sliceRows, type Feeds } from '@qtk/core';

/** The batches holding the first `n` samples of `batches`, and how many samples they hold. */
export function firstSamples(batches: readonly Feeds[], n: number): { batches: Feeds[]; samples: number } {
  const out: Feeds[] = [];
  let samples = 0;
  for (const b of batches) {
    if (samples >= n) break;
    const size = Object.values(b)[0]?.dims[0] ?? 1;
    if (samples + size <= n) {
      out.push(b);
      samples += size;
      continue;
    }
    const take = n - samples;
    out.push(Object.fromEntries(Object.entries(b).map(([name, t]) => [name, t.dims[0] === size ? sliceRows(t, 0, take) : t])));
    samples += take;
  }
  return { batches: out, samples };
}
