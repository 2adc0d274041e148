import { describe, expect, it } from 'vitest';
import { isQtkError, Tensor } from '@qtk/core';
import { ErrorAccumulator } from '@qtk/core/internal';
import { accuracyOf, agreement } from './quality.js';
import { formatDb } from './report/format.js';

const t = (rows: number, values: number[]) => Tensor.fromFloat32(Float32Array.from(values), [rows, values.length / rows]);

describe('agreement', () => {
  it('gives the SQNR core\'s ErrorAccumulator gives over all batches, and top-1 agreement per row', () => {
    const ref = [t(2, [1, 2, 3, 0]), t(1, [0.5, -1])];
    const out = [t(2, [1.1, 2, 2.9, 0.2]), t(1, [0.5, -0.5])];
    const acc = new ErrorAccumulator();
    ref.forEach((r, i) => acc.add(r.data as Float32Array, out[i]!.data as Float32Array));
    const a = agreement(ref, out);
    expect(a.sqnrDb).toBeCloseTo(acc.sqnrDb, 12);
    expect(a.sqnrDb).toBeCloseTo(10 * Math.log10((1 + 4 + 9 + 0.25 + 1) / (0.01 + 0.01 + 0.04 + 0.25)), 5);
    expect(a.top1Agreement).toBe(1);
    expect(a.rows).toBe(3);
  });

  it("writes identical outputs as 'Infinity' (JSON has no Infinity)", () => {
    expect(agreement([t(1, [1, 2])], [t(1, [1, 2])]).sqnrDb).toBe('Infinity');
  });

  it("gives '-Infinity' instead of throwing when the candidate has NaN where the reference does not, and keeps top-1 agreement", () => {
    const a = agreement([t(2, [1, 2, 0, 3])], [t(2, [1, 2, 0, NaN])]);
    expect(a.sqnrDb).toBe('-Infinity');
    expect(a.top1Agreement).toBe(0.5);
    expect(formatDb(a.sqnrDb)).toBe('-∞ dB');
  });

  it('passes over values that are NaN on both sides alike', () => {
    expect(agreement([t(1, [NaN, 2])], [t(1, [NaN, 2])]).sqnrDb).toBe('Infinity');
  });

  it('throws E_SHAPE for batches of different sizes', () => {
    let err: unknown;
    try { agreement([t(1, [1, 2])], [t(1, [1, 2, 3])]); } catch (e) { err = e; }
    expect(isQtkError(err, 'E_SHAPE')).toBe(true);
  });
});

describe('accuracyOf', () => {
  it('counts rows whose argmax equals the label', () => {
    expect(accuracyOf([t(2, [0, 1, 5, 2])], [Uint8Array.from([1, 1])])).toEqual({ accuracy: 0.5, rows: 2 });
  });
});
