import { describe, expect, it } from 'vitest';
import { isQtkError } from '../errors/QtkError.js';
import { KnownFailureList, formatFailureReason, type KnownFailure } from './knownFailures.js';

const ifMissing: KnownFailure = { test: 'subgraphs > silero VAD v5', reason: { kind: 'missing-op', op: 'If' } };
const one: KnownFailure = { test: 'quantize > edge cases > skips NaN', reason: { kind: 'runtime-dialect', op: 'MatMulNBits', domain: 'com.microsoft' }, run: 'skip' };

describe('KnownFailureList', () => {
  it('finds an entry by its exact test path and by a describe path above the test, in whole segments only', () => {
    const list = new KnownFailureList([ifMissing, one]);
    expect(list.lookup('quantize > edge cases > skips NaN')).toBe(one);
    expect(list.lookup('subgraphs > silero VAD v5 > dynamic: quantizes')).toBe(ifMissing);
    expect(list.lookup('subgraphs > silero VAD v5')).toBe(ifMissing);
    expect(list.lookup('subgraphs > silero VAD v5 legacy > dynamic')).toBeUndefined();
    expect(list.lookup('quantize > edge cases > skips NaN and Inf')).toBeUndefined();
    expect(list.lookup('edge cases > skips NaN')).toBeUndefined();
  });

  it('reports the entries no lookup matched, so a renamed test cannot leave a stale entry', () => {
    const list = new KnownFailureList([ifMissing, one]);
    expect(list.unmatched()).toEqual([ifMissing, one]);
    list.lookup('subgraphs > silero VAD v5 > static');
    expect(list.unmatched()).toEqual([one]);
  });

  it('refuses two entries for the same path with E_OPTION naming the path', () => {
    let err: unknown;
    try { new KnownFailureList([ifMissing, { ...ifMissing, reason: { kind: 'numerics', note: 'x' } }]); } catch (e) { err = e; }
    expect(isQtkError(err, 'E_OPTION')).toBe(true);
    expect((err as Error).message).toContain('subgraphs > silero VAD v5');
  });

  it('formats each reason kind on one line', () => {
    expect(formatFailureReason({ kind: 'missing-op', op: 'If' })).toBe('missing-op If');
    expect(formatFailureReason({ kind: 'unsupported-dtype', op: 'Cast', dtype: 'float16' })).toBe('unsupported-dtype Cast float16');
    expect(formatFailureReason({ kind: 'runtime-dialect', op: 'MatMulNBits', domain: 'com.microsoft' })).toBe('runtime-dialect com.microsoft.MatMulNBits');
    expect(formatFailureReason({ kind: 'opset', op: 'HardSigmoid', opset: 6, minimum: 7 })).toBe('opset HardSigmoid at opset 6 (7 or newer runs)');
    expect(formatFailureReason({ kind: 'unsupported-form', op: 'MaxPool', note: '3-D spatial input' })).toBe('unsupported-form MaxPool (3-D spatial input)');
    expect(formatFailureReason({ kind: 'unsupported-attribute', op: 'Pad', attribute: 'mode' })).toBe('unsupported-attribute Pad.mode');
    expect(formatFailureReason({ kind: 'numerics', note: 'off by one step' })).toBe('numerics (off by one step)');
  });
});
