/**
 * Fuzz cases as a pure function of (campaign seed, entry point, case index): the case's
 * own generator is seeded from the three, picks a seed model and a donor, and mutates.
 * Any case of a campaign is therefore rebuilt alone, without replaying the ones before it.
 * Example: `makeCase(corpus, 1, 'decode', 42)` gives the same bytes on every machine.
 */
import { Rng } from '@qtk/models';
import { mutate, pickOne } from './mutators.js';
import type { SeedCorpus, SeedModel } from './seeds.js';

/** One generated case. */
export interface FuzzCase {
  seed: number;
  entry: string;
  index: number;
  /** The seed model it was mutated from. */
  from: SeedModel;
  /** The mutations applied, in order. */
  steps: string[];
  bytes: Uint8Array;
  /** The case's generator after mutation, for entry points that draw more (feeds, modes). */
  rng: Rng;
}

/** A 32-bit hash of the case coordinates (FNV-1a over the entry name, then integer mixing). */
export function caseSeed(seed: number, entry: string, index: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < entry.length; i++) h = Math.imul(h ^ entry.charCodeAt(i), 0x01000193);
  for (const v of [seed >>> 0, index >>> 0, Math.floor(index / 2 ** 32)]) {
    h = Math.imul(h ^ v, 0x9e3779b1);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
  }
  return h >>> 0;
}

/** Builds case `index` of the campaign (`seed`, `entry`); `groups` limits the seed groups drawn from. */
export function makeCase(corpus: SeedCorpus, seed: number, entry: string, index: number, groups?: readonly string[]): FuzzCase {
  const rng = new Rng(caseSeed(seed, entry, index));
  const names = groups ?? [...corpus.groups.keys()];
  const from = pickOne(rng, corpus.groups.get(pickOne(rng, names)) ?? corpus.all);
  const donor = pickOne(rng, corpus.all);
  // one case in 50 is the unmodified seed: entry points must also accept what they were given
  if (rng.uniform() < 0.02) return { seed, entry, index, from, steps: [], bytes: from.bytes, rng };
  const { bytes, steps } = mutate(rng, from.bytes, from.tree, { bytes: donor.bytes, tree: donor.tree });
  return { seed, entry, index, from, steps, bytes, rng };
}
