import { describe, expect, it } from 'vitest';
import { resolveOptions } from '@qtk/core';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';
import { formatEffectiveOptions } from './effectiveOptions.js';

describe('the effective options line', () => {
  it('defaults in static mode', () => {
    expect(formatEffectiveOptions(resolveOptions({}, onnxruntimeBackend.defaults))).toBe('options: mode static, format qdq, method mse, activations uint8 asymmetric, weights int8 symmetric per-channel');
  });

  it('shows bias correction only when static mode turns it off', () => {
    expect(formatEffectiveOptions(resolveOptions({ biasCorrection: false }))).toContain(', no bias correction');
    expect(formatEffectiveOptions(resolveOptions({ mode: 'dynamic', biasCorrection: false }))).not.toContain('bias correction');
  });

  it('shows the percentile and the moving-average constant only with their methods', () => {
    expect(formatEffectiveOptions(resolveOptions({ method: 'percentile', percentile: 99.9 }))).toContain('method percentile 99.9,');
    expect(formatEffectiveOptions(resolveOptions({ method: 'moving-average' }))).toContain('method moving-average (averaging constant 0.01)');
    expect(formatEffectiveOptions(resolveOptions({ method: 'entropy', percentile: 99.9 }))).not.toContain('99.9');
  });

  it('dynamic mode leaves out activation options and what it does not read (format, weight symmetry, reduced range, mixed precision); the rest appear when set', () => {
    const line = formatEffectiveOptions(resolveOptions({
      mode: 'dynamic', perChannel: false, reduceRange: true, opTypes: ['MatMul'], exclude: ['/head/'], minOutputSqnrDb: 25, preprocess: false,
    }));
    expect(line).toBe('options: mode dynamic, weights int8 per-tensor, no preprocessing, op types MatMul, excluding /head/');
  });

  it('weight-only mode shows blocks and symmetry with the uniform scheme, and a codebook without them', () => {
    expect(formatEffectiveOptions(resolveOptions({ mode: 'weight-only' })))
      .toBe('options: mode weight-only, weights int4 symmetric, blocks of 32');
    expect(formatEffectiveOptions(resolveOptions({ mode: 'weight-only', weightScheme: 'codebook', codebookSize: 16 })))
      .toBe('options: mode weight-only, weights int4, codebook of 16 scheme');
  });
});
