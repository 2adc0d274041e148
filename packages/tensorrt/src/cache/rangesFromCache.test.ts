import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { computeQParams, isQtkError, seededRandom } from '@qtk/core';
import { cacheFromCalibration } from './fromCalibration.js';
import { rangesFromCache } from './rangesFromCache.js';
import { readCalibrationCache } from './readCache.js';

/** TensorRT's activation grid: symmetric int8 on [-127, 127], scale = amax / 127. */
const TRT_GRID = { dtype: 'int8', symmetric: true, narrowRange: true } as const;

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** The tensors whose cached scale computeQParams does not give back from the cached range on TensorRT's grid. */
function scalesNotGivenBack(scales: ReadonlyMap<string, number>): string[] {
  const ranges = rangesFromCache({ version: '100300', algorithm: 'EntropyCalibration2', scales });
  return [...scales].filter(([t, s]) => computeQParams([ranges.get(t)!.min], [ranges.get(t)!.max], TRT_GRID).scale[0] !== s).map(([t]) => t);
}

describe('rangesFromCache', () => {
  it('gives [-127·scale, 127·scale] per tensor in cache order', () => {
    const ranges = rangesFromCache({ version: '100300', algorithm: 'EntropyCalibration2', scales: new Map([['b', 0.0078125], ['a', 0]]) });
    expect([...ranges]).toEqual([['b', { min: -0.9921875, max: 0.9921875 }], ['a', { min: -0, max: 0 }]]);
  });

  it("gives back, on TensorRT's grid, every scale computed as amax / 127 in float32 (100000 seeded amax over 20 decades)", () => {
    const r = seededRandom(5);
    const scales = new Map(Array.from({ length: 100_000 }, (_, i) => [`t${i}`, Math.fround(Math.fround(10 ** (r() * 20 - 10)) / 127)] as const));
    expect(scalesNotGivenBack(scales)).toEqual([]);
  });

  it.each(readdirSync(FIXTURES).filter((f) => f.endsWith('.cache')))("gives back, on TensorRT's grid, every non-zero scale of %s", (file) => {
    const { scales } = readCalibrationCache(readFileSync(FIXTURES + file, 'utf8'));
    expect(scalesNotGivenBack(new Map([...scales].filter(([, s]) => s > 0)))).toEqual([]);
  });
});

describe('cacheFromCalibration from ranges', () => {
  it('caches max(|min|, |max|) / 127 as float32 for each range, with the version as header digits', () => {
    const cache = cacheFromCalibration(new Map([['x', { min: -3, max: 2 }], ['r', { min: Float32Array.of(0), max: Float32Array.of(6.5) }]]), { version: '8.6.1', algorithm: 'MinMaxCalibration' });
    expect(cache.version).toBe('8601');
    expect([...cache.scales]).toEqual([['x', Math.fround(3 / 127)], ['r', Math.fround(6.5 / 127)]]);
  });

  it.each([
    [new Map([['c', { min: Float32Array.of(-1, -2), max: Float32Array.of(1, 2) }]]), 'per-channel range'],
    [new Map([['n', { min: -Infinity, max: 1 }]]), 'no scale can be cached'],
  ])('refuses a range TensorRT cannot cache with E_OBSERVER naming the tensor (%#)', (ranges, part) => {
    try {
      cacheFromCalibration(ranges, { version: '10.3.0', algorithm: 'MinMaxCalibration' });
      expect.unreachable();
    } catch (e) {
      expect(isQtkError(e, 'E_OBSERVER')).toBe(true);
      expect((e as Error).message).toContain(part);
      expect(ranges.has((e as { where: { tensor: string } }).where.tensor)).toBe(true);
    }
  });
});
