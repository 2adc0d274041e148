import { describe, expect, it } from 'vitest';
import { seededRandom } from './random.js';

describe('seededRandom', () => {
  it('gives floats in [0, 1) and depends on the seed', () => {
    const r = seededRandom(42);
    const xs = Array.from({ length: 1000 }, r);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
    expect(Math.abs(xs.reduce((a, b) => a + b, 0) / xs.length - 0.5)).toBeLessThan(0.05);
    expect(seededRandom(42)()).toBe(xs[0]);
    expect(seededRandom(43)()).not.toBe(xs[0]);
  });
});
