/**
 * Seeded pseudo-random numbers for reproducible choices (k-means++ seeding, calibration
 * sampling): the same seed always gives the same sequence, on every platform.
 */

/**
 * A seeded generator of uniform floats in [0, 1) (mulberry32: 32-bit state, period 2^32).
 * Example: `const r = seededRandom(42); r(); r();` gives the same two numbers on every run.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
