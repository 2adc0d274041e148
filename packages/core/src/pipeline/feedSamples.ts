/** How many samples one batch of feeds holds. */
import type { Feeds } from './types.js';

/** Samples in one batch of feeds: the first feed's leading dim (1 for a scalar feed). */
export function samplesIn(feeds: Feeds): number {
  const first = Object.values(feeds)[0];
  return first && first.dims.length ? first.dims[0]! : 1;
}
