import { describe, expect, it } from 'vitest';
import { OPTION_SCOPES } from '@qtk/core';
import { quantizeCommand } from './commands/quantize.js';
import { CLI_FLAG_SCOPES, checkFlagScopes } from './quantizeFlagScopes.js';
import { shippedBackends } from './backendFlag.js';
import { backendOptionSpecs } from './backendOptionFlags.js';
import { FLAG_OF_FIELD, quantizeOptionSpecs } from './quantizeFlags.js';
import { expectQtkError } from './test-support/qtkErrors.js';

describe('the scope of every qtk quantize flag', () => {
  it("every flag is an option flag (scoped by core), a backend's (scoped by its backend) or has a CLI_FLAG_SCOPES entry: exactly one", () => {
    const optionFlags = new Set(Object.keys(quantizeOptionSpecs()));
    const backendFlags = new Set(Object.keys(backendOptionSpecs(shippedBackends(), new Set())));
    expect(backendFlags.size).toBeGreaterThan(0);
    for (const flag of Object.keys(quantizeCommand.options)) {
      expect([optionFlags.has(flag), backendFlags.has(flag), flag in CLI_FLAG_SCOPES].filter(Boolean), flag).toEqual([true]);
    }
    expect(Object.keys(CLI_FLAG_SCOPES).filter((f) => !(f in quantizeCommand.options))).toEqual([]);
  });

  it('the option flags that apply everywhere are exactly those of fields core does not scope', () => {
    const unscoped = Object.entries(FLAG_OF_FIELD).filter(([field]) => !(field in OPTION_SCOPES)).map(([, flag]) => flag).sort();
    expect(unscoped).toEqual(['exclude', 'mode', 'no-preprocess', 'op-types', 'weight-type']);
  });

  it('calibration flags are refused outside static mode, and data flags and --threads without --calib, grouped by reason', () => {
    const e = expectQtkError(() => checkFlagScopes(new Set(['holdout', 'resize', 'threads']), 'dynamic'), 'E_OPTION');
    expect(e.message).toBe('--holdout applies to static mode only; dynamic mode needs no calibration; --resize, --threads apply with --calib only, and without it would do nothing');
    // With --calib, every mode reads the data (outside static mode for the quality check).
    expect(checkFlagScopes(new Set(['calib', 'resize', 'threads']), 'dynamic')).toEqual([]);
    expect(e.where.option).toBe('holdout');
  });

  it('--seed without --calib-size is refused: there is no draw to seed', () => {
    const e = expectQtkError(() => checkFlagScopes(new Set(['calib', 'seed']), 'static'), 'E_OPTION', '--seed applies with --calib-size only');
    expect(e.where.option).toBe('seed');
    expect(checkFlagScopes(new Set(['calib', 'seed', 'calib-size']), 'static')).toEqual([]);
  });

  it('--report without --calib is a warning (the report is written, without SQNR), not an error', () => {
    expect(checkFlagScopes(new Set(['report', 'output']), 'weight-only'))
      .toEqual(['--report applies fully with --calib only: without it the report holds no per-node or output SQNR against the float model']);
    expect(checkFlagScopes(new Set(['report', 'calib']), 'weight-only')).toEqual([]);
    expect(checkFlagScopes(new Set(['report', 'calib', 'threads']), 'static')).toEqual([]);
  });
});
