/** The options that select FP8 E4M3 quantization for TensorRT. */
import type { StaticQuantizeOptions } from '@qtk/core';

/**
 * The `quantizeModel` options of TensorRT FP8 (what a `precision: 'fp8'` choice maps to):
 * float8e4m3fn activations and weights. Core then defaults to symmetric MinMax (amax)
 * calibration and QDQ at opset 19, and the TensorRT policy places Q/DQ for FP8 (policy/fp8.ts).
 */
export const TENSORRT_FP8_OPTIONS: Readonly<Pick<StaticQuantizeOptions, 'activationType' | 'weightType'>> = Object.freeze({
  activationType: 'float8e4m3fn',
  weightType: 'float8e4m3fn',
});
