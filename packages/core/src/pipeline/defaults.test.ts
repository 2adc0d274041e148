import { describe, expect, it } from 'vitest';
import { isQtkError } from '../errors/QtkError.js';
import { DEFAULT_SAMPLE_LIMIT, resolveOptions } from './defaults.js';

describe('resolveOptions: sampleLimit', () => {
  it('defaults to DEFAULT_SAMPLE_LIMIT (16384) and keeps 0 (count every value)', () => {
    expect(DEFAULT_SAMPLE_LIMIT).toBe(16384);
    expect(resolveOptions({}).sampleLimit).toBe(16384);
    expect(resolveOptions({ sampleLimit: 0 }).sampleLimit).toBe(0);
  });
  it('rejects negative or fractional limits with E_OPTION naming sampleLimit', () => {
    for (const bad of [-1, 1.5]) {
      let err: unknown;
      try { resolveOptions({ sampleLimit: bad }); } catch (e) { err = e; }
      expect(isQtkError(err) && err.code === 'E_OPTION' && err.where?.option === 'sampleLimit').toBe(true);
    }
  });
});

describe('resolveOptions: biasCorrection', () => {
  it('is on unless turned off', () => {
    expect(resolveOptions({}).biasCorrection).toBe(true);
    expect(resolveOptions({ biasCorrection: false }).biasCorrection).toBe(false);
  });
});
