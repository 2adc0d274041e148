import { describe, expect, it } from 'vitest';
import { expectQtkError } from '../test-support/expectQtkError.js';
import { resolveOptions } from './defaults.js';
import { FLOAT8_DEFAULT_METHOD, FLOAT8_METHODS } from './float8Options.js';
import type { AnyQuantizeOptions } from './types.js';

const fp8 = { activationType: 'float8e4m3fn', weightType: 'float8e4m3fn' } as const;

describe('resolveOptions with float8e4m3fn types', () => {
  it('defaults FP8 to symmetric MinMax (amax) ranges, QDQ, no reduced range, per-channel weights', () => {
    const r = resolveOptions(fp8);
    expect(FLOAT8_DEFAULT_METHOD).toBe('minmax');
    expect(r).toMatchObject({ mode: 'static', ...fp8, method: 'minmax', symmetricActivations: true, symmetricWeights: true, reduceRange: false, format: 'qdq', perChannel: true, blockSize: 0 });
  });

  it('puts FP8 defaults over a backend\'s integer defaults (entropy, asymmetric, reduced range)', () => {
    const r = resolveOptions(fp8, { method: 'entropy', symmetricActivations: false, symmetricWeights: false, reduceRange: true, activationType: 'uint8' });
    expect(r).toMatchObject({ method: 'minmax', symmetricActivations: true, symmetricWeights: true, reduceRange: false });
    // The same backend defaults still apply to integer types.
    expect(resolveOptions({}, { method: 'entropy', reduceRange: true })).toMatchObject({ method: 'entropy', reduceRange: true });
  });

  it('keeps a range-only method the user picks (moving-average, mean-minmax)', () => {
    for (const method of FLOAT8_METHODS) expect(resolveOptions({ ...fp8, method }).method).toBe(method);
  });

  it('FP8 weights alone keep integer activation defaults, and FP8 activations alone keep int8 weights symmetric narrow', () => {
    expect(resolveOptions({ weightType: 'float8e4m3fn' })).toMatchObject({ activationType: 'int8', method: 'mse', symmetricActivations: false, symmetricWeights: true });
    expect(resolveOptions({ activationType: 'float8e4m3fn' })).toMatchObject({ weightType: 'int8', method: 'minmax', symmetricActivations: true });
  });

  const refused: Array<[string, AnyQuantizeOptions, string]> = [
    ['histogram method entropy', { ...fp8, method: 'entropy' }, 'method'],
    ['histogram method mse', { ...fp8, method: 'mse' }, 'method'],
    ['histogram method percentile', { ...fp8, method: 'percentile' }, 'method'],
    ['asymmetric activations', { ...fp8, symmetricActivations: false }, 'symmetricActivations'],
    ['asymmetric weights', { ...fp8, symmetricWeights: false }, 'symmetricWeights'],
    ['reduceRange', { ...fp8, reduceRange: true }, 'reduceRange'],
    ['format qoperator', { ...fp8, format: 'qoperator' }, 'format'],
    ['per-block weights', { ...fp8, blockSize: 32 }, 'blockSize'],
    ['dynamic mode', { mode: 'dynamic', weightType: 'float8e4m3fn' }, 'weightType'],
    ['weight-only mode', { mode: 'weight-only', weightType: 'float8e4m3fn' }, 'weightType'],
  ];
  it.each(refused)('refuses %s with E_OPTION naming the field', (_what, options, field) => {
    const err = expectQtkError(() => resolveOptions(options), 'E_OPTION', 'float8e4m3fn');
    expect(err.where?.option).toBe(field);
  });
});
