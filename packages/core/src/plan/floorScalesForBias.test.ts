import { describe, expect, it } from 'vitest';
import { Tensor } from '../ir/tensor.js';
import type { QParams } from './qparams.js';
import { floorScalesForBias } from './quantizeBias.js';

const params = (scale: number[], dtype: QParams['dtype'] = 'int8', zero = 0): QParams => ({ scale: Float32Array.from(scale), zeroPoint: new Int32Array(scale.length).fill(zero), dtype, axis: 0 });
const input = params([0.02], 'uint8', 128);

describe('floorScalesForBias', () => {
  it('raises a dead channel (scale 5.7e-17) so its bias fits int32 with room, and leaves live channels alone', () => {
    const w = params([0.01, 5.7e-17]);
    floorScalesForBias(w, input, new Tensor('float32', Float32Array.from([0.5, -3]), [2]));
    expect(w.scale[0]).toBeCloseTo(0.01, 8);
    const q = Math.abs(-3 / (0.02 * w.scale[1]!));
    expect(q).toBeLessThanOrEqual(2 ** 30 * 1.0001);
    expect(w.scale[1]).toBeGreaterThan(1e-12);
  });

  it('leaves 16-bit weights and asymmetric weights untouched (their bias may stay float instead)', () => {
    const w16 = params([1e-17], 'int16');
    floorScalesForBias(w16, input, new Tensor('float32', Float32Array.from([1]), [1]));
    expect(w16.scale[0]).toBe(Math.fround(1e-17));
    const asym = params([1e-17], 'uint8', 3);
    floorScalesForBias(asym, input, new Tensor('float32', Float32Array.from([1]), [1]));
    expect(asym.scale[0]).toBe(Math.fround(1e-17));
  });

  it('uses the largest bias for a per-tensor weight scale', () => {
    const w = params([1e-17]);
    floorScalesForBias(w, input, new Tensor('float32', Float32Array.from([0.1, -7, 2]), [3]));
    expect(7 / (0.02 * w.scale[0]!)).toBeLessThanOrEqual(2 ** 30 * 1.0001);
  });
});
