import { describe, expect, it } from 'vitest';
import { resolveOptions, type FloatNode, type QuantizeReport } from '@qtk/core';
import { checkSomethingQuantized } from './nothingQuantized.js';
import { expectQtkError } from './test-support/qtkErrors.js';

const report = (mode: QuantizeReport['mode'], float: FloatNode[], quantized: QuantizeReport['quantized'] = []): QuantizeReport => ({
  mode, options: resolveOptions({ mode }), quantized, float, warnings: [], zeroRange: [], seconds: 0,
});

describe('checkSomethingQuantized', () => {
  it('passes a run that quantized at least one node', () => {
    expect(() => checkSomethingQuantized(report('dynamic', [], [{ name: 'c', opType: 'Conv' }]))).not.toThrow();
  });

  it('refuses a run that quantized nothing with E_NOTHING_QUANTIZED: the reasons, most frequent first, and the flags to try', () => {
    const e = expectQtkError(() => checkSomethingQuantized(report('dynamic', [
      { name: 'r1', opType: 'Relu', reason: 'dynamic mode quantizes MatMul, Gemm and Conv only' },
      { name: 'c1', opType: 'Conv', reason: 'excluded by user' },
      { name: 'c2', opType: 'Conv', reason: 'excluded by user' },
    ])), 'E_NOTHING_QUANTIZED');
    expect(e.message).toBe('quantized no op (dynamic mode), so no model was written: Conv x2: excluded by user; Relu x1: dynamic mode quantizes MatMul, Gemm and Conv only. '
      + 'Try fewer or narrower --exclude entries; or static mode (--calib DATA), which quantizes more op types, or --mode weight-only');
  });

  it('suggests a lower --min-output-sqnr when mixed precision kept every node float', () => {
    const e = expectQtkError(() => checkSomethingQuantized(report('static', [
      { name: 'g', opType: 'Gemm', reason: 'mixed precision: kept float to reach 90 dB output SQNR' },
    ])), 'E_NOTHING_QUANTIZED');
    expect(e.message).toMatch(/Gemm x1: mixed precision: kept float to reach 90 dB output SQNR\. Try a lower --min-output-sqnr$/);
  });
});
