import { describe, expect, it } from 'vitest';
import { expectQtkError } from '../test-support/expectQtkError.js';
import { asQuantizeOptions } from './checkedOptions.js';
import type { AnyQuantizeOptions } from './types.js';

describe('asQuantizeOptions: untyped options checked into QuantizeOptions', () => {
  it('returns options whose fields all apply to their mode unchanged', () => {
    const given: AnyQuantizeOptions = { mode: 'dynamic', perChannel: false, exclude: ['/head/'] };
    expect(asQuantizeOptions(given)).toBe(given);
    expect(asQuantizeOptions({ method: 'percentile', percentile: 99.9 })).toEqual({ method: 'percentile', percentile: 99.9 });
  });

  it('refuses a field of another mode (E_OPTION naming it), as a JSON config could hold', () => {
    const e = expectQtkError(() => asQuantizeOptions(JSON.parse('{"mode":"dynamic","method":"mse"}') as AnyQuantizeOptions), 'E_OPTION', 'method applies to static mode only');
    expect(e.where.option).toBe('method');
  });

  it('refuses a field the method in force does not read, and a bad value', () => {
    expect(expectQtkError(() => asQuantizeOptions({ percentile: 99 }), 'E_OPTION', 'method is mse').where.option).toBe('percentile');
    expect(expectQtkError(() => asQuantizeOptions({ mode: 'weight-only', blockSize: 20 }), 'E_OPTION', 'power of two').where.option).toBe('blockSize');
  });
});
