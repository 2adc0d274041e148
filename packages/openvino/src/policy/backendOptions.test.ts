/**
 * The backend options added for SmoothQuant, the overflow fix and bias correction: defaults
 * by model type, and the E_OPTION errors for values and pairs that make no sense.
 */
import { describe, expect, it } from 'vitest';
import { isQtkError } from '@qtk/core';
import { resolveOpenvinoOptions } from './backendOptions.js';

function refusal(options: unknown): string {
  try {
    resolveOpenvinoOptions(options);
    return 'accepted';
  } catch (e) {
    return isQtkError(e, 'E_OPTION') ? e.message : String(e);
  }
}

describe('OpenVINO backend options: SmoothQuant, overflow fix, fast bias correction', () => {
  it("smoothQuantAlpha defaults to NNCF's 0.95 for transformers and to off (−1) otherwise; a given value wins", () => {
    expect(resolveOpenvinoOptions({ modelType: 'transformer' }).smoothQuantAlpha).toBe(0.95);
    expect(resolveOpenvinoOptions({}).smoothQuantAlpha).toBe(-1);
    expect(resolveOpenvinoOptions(undefined).smoothQuantAlpha).toBe(-1);
    expect(resolveOpenvinoOptions({ modelType: 'transformer', smoothQuantAlpha: 0.5 }).smoothQuantAlpha).toBe(0.5);
    expect(resolveOpenvinoOptions({ smoothQuantAlpha: -1 }).smoothQuantAlpha).toBe(-1);
  });

  it("smoothQuantAlpha without modelType 'transformer' is E_OPTION (NNCF smooths transformers only)", () => {
    expect(refusal({ smoothQuantAlpha: 0.8 })).toContain("backendOptions.smoothQuantAlpha=0.8 needs backendOptions.modelType 'transformer'");
    expect(refusal({ preset: 'performance', smoothQuantAlpha: 0 })).toContain('transformers only');
  });

  it('smoothQuantAlpha above 1 or not a number is E_OPTION naming it', () => {
    expect(refusal({ modelType: 'transformer', smoothQuantAlpha: 1.2 })).toContain('backendOptions.smoothQuantAlpha=1.2 must be a number in [0, 1]');
    expect(refusal({ modelType: 'transformer', smoothQuantAlpha: '0.9' })).toContain('backendOptions.smoothQuantAlpha="0.9"');
  });

  it('overflowFix takes NNCF\'s three values; another is E_OPTION listing them', () => {
    expect(resolveOpenvinoOptions({ overflowFix: 'enable' }).overflowFix).toBe('enable');
    expect(resolveOpenvinoOptions({}).overflowFix).toBeUndefined();
    expect(refusal({ overflowFix: 'first_layer' })).toContain('backendOptions.overflowFix="first_layer" is not one of: enable, first_layer_only, disable');
  });

  it("fastBiasCorrection true is accepted; false (NNCF's full BiasCorrection, not implemented) and non-booleans are E_OPTION", () => {
    expect(refusal({ fastBiasCorrection: true })).toBe('accepted');
    expect(refusal({ fastBiasCorrection: false })).toContain("backendOptions.fastBiasCorrection=false asks for NNCF's BiasCorrection");
    expect(refusal({ fastBiasCorrection: 'yes' })).toContain('must be true or false');
  });
});
