import { describe, expect, it } from 'vitest';
import { ArgmaxAgreement, ErrorAccumulator, noiseToSignal, sqnrDb } from './errorStats.js';
import { expectQtkError } from '../test-support/expectQtkError.js';

describe('ErrorAccumulator', () => {
  it('gives +Infinity SQNR, cosine 1 and zero max error for equal arrays', () => {
    const a = new ErrorAccumulator();
    a.add([1, -2, 3], [1, -2, 3]);
    expect(a.sqnrDb).toBe(Infinity);
    expect(a.cosine).toBe(1);
    expect(a.maxAbsError).toBe(0);
    expect(a.elements).toBe(3);
  });

  it('computes 10·log10(Σx²/Σ(x−y)²), cosine and max abs error by hand', () => {
    const a = new ErrorAccumulator();
    a.add([3, 4], [3, 3]); // Σx² = 25, Σe² = 1
    expect(a.sqnrDb).toBeCloseTo(10 * Math.log10(25), 12);
    expect(a.cosine).toBeCloseTo((9 + 12) / (5 * Math.sqrt(18)), 12);
    expect(a.maxAbsError).toBe(1);
  });

  it('sums over batches: two halves give what the whole gives', () => {
    const whole = new ErrorAccumulator();
    whole.add([1, 2, 3, 4], [1.1, 1.9, 3.3, 4]);
    const parts = new ErrorAccumulator();
    parts.add([1, 2], [1.1, 1.9]);
    parts.add([3, 4], [3.3, 4]);
    expect(parts.sqnrDb).toBeCloseTo(whole.sqnrDb, 12);
    expect(parts.cosine).toBeCloseTo(whole.cosine, 12);
    expect(parts.maxAbsError).toBeCloseTo(0.3, 12);
  });

  it('gives -Infinity SQNR when the candidate has a NaN the reference lacks, and ignores equal non-finite values', () => {
    const a = new ErrorAccumulator();
    a.add([1, Infinity, NaN], [1, Infinity, NaN]);
    expect(a.sqnrDb).toBe(Infinity);
    a.add([1], [NaN]);
    expect(a.nonFinite).toBe(1);
    expect(a.sqnrDb).toBe(-Infinity);
    expect(a.maxAbsError).toBe(Infinity);
  });

  it('gives cosine 0 when only one side is all zero, and -Infinity SQNR for a zero reference', () => {
    const a = new ErrorAccumulator();
    a.add([0, 0], [1, 0]);
    expect(a.cosine).toBe(0);
    expect(a.sqnrDb).toBe(-Infinity);
  });

  it('refuses arrays of different lengths with E_SHAPE naming the tensor', () => {
    const err = expectQtkError(() => new ErrorAccumulator().add([1, 2], [1], 'conv_out'), 'E_SHAPE', "'conv_out'");
    expect(err.where.tensor).toBe('conv_out');
  });
});

describe('sqnrDb and noiseToSignal', () => {
  it('are inverse: 20 dB is a noise-to-signal ratio of 0.01, +Infinity dB is 0', () => {
    expect(sqnrDb(100, 1)).toBeCloseTo(20, 12);
    expect(noiseToSignal(20)).toBeCloseTo(0.01, 12);
    expect(noiseToSignal(Infinity)).toBe(0);
    expect(noiseToSignal(-Infinity)).toBe(Infinity);
    expect(sqnrDb(0, 0)).toBe(Infinity);
  });
});

describe('ArgmaxAgreement', () => {
  it('counts rows along the last axis whose argmax is the same on both sides', () => {
    const a = new ArgmaxAgreement();
    // Three rows of 3: the second row's argmax moves from index 1 to index 2.
    a.add(Float32Array.of(0, 1, 0, 0, 5, 4, 9, 0, 1), Float32Array.of(0, 2, 1, 0, 4, 4.5, 8, 1, 1), 3);
    expect(a.rows).toBe(3);
    expect(a.agree).toBe(2);
    expect(a.rate).toBeCloseTo(2 / 3, 12);
  });

  it('ignores a last axis of one entry (no class to pick)', () => {
    const a = new ArgmaxAgreement();
    a.add(Float32Array.of(1, 2), Float32Array.of(2, 1), 1);
    expect(a.rows).toBe(0);
    expect(Number.isNaN(a.rate)).toBe(true);
  });
});
