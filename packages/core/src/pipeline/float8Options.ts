/**
 * Options of FP8 (float8e4m3fn) static quantization: its defaults and what it refuses.
 * FP8 Q/DQ is symmetric (scale = amax / 448, zero point a float8 0), so the calibration
 * method only has to find amax: MinMax (the default, as TensorRT Model Optimizer's FP8
 * configs calibrate with max), moving-average or mean MinMax. The histogram methods pick a
 * range against an integer grid (entropy's 128 quantized bins, MSE over integer steps,
 * percentile's clipping for that grid) and are refused, like every option that would do
 * nothing or cannot be written: an asymmetric or reduced range, per-block FP8 weights,
 * the QOperator format (no QLinear op takes float8) and modes other than static.
 */
import { QtkError } from '../errors/QtkError.js';
import { isFloat8QuantType } from '../quant/float8.js';
import type { CalibrationMethod, OptionFields, QuantMode, QuantizeOptions } from './types.js';

/** The calibration methods FP8 activations take: those that observe a range, not an integer grid. */
export const FLOAT8_METHODS: readonly CalibrationMethod[] = ['minmax', 'moving-average', 'mean-minmax'];

/** The calibration method FP8 activations default to (amax by max calibration). */
export const FLOAT8_DEFAULT_METHOD: CalibrationMethod = 'minmax';

/** Which of a config's types are float8: activations, weights. */
export interface Float8Use {
  activations: boolean;
  weights: boolean;
}

/** Which of the resolved types are float8 (`activationType` counts in static mode only, the only mode that reads it). */
export function float8Use(mode: QuantMode, activationType: string, weightType: string): Float8Use {
  return { activations: mode === 'static' && isFloat8QuantType(activationType), weights: isFloat8QuantType(weightType) };
}

/** Throws E_OPTION naming `field` and why FP8 cannot take it. */
function refuse(field: keyof QuantizeOptions, value: unknown, why: string): never {
  throw new QtkError('E_OPTION', `option ${field}=${JSON.stringify(value)} does not apply to float8e4m3fn: ${why}`, { option: field });
}

/**
 * Refuses (E_OPTION, naming the field) what `o` sets that FP8 types in `use` cannot honour
 * in `mode`; defaults never trip it, since `resolveOptions` picks FP8's own.
 */
export function checkFloat8Options(o: OptionFields, mode: QuantMode, use: Float8Use): void {
  if (!use.activations && !use.weights) return;
  const field = use.weights ? 'weightType' : 'activationType';
  if (mode !== 'static') refuse(field, 'float8e4m3fn', `${mode} mode writes integer operators; FP8 needs static mode (QuantizeLinear/DequantizeLinear of opset 19)`);
  if (o.format !== undefined && o.format !== 'qdq') refuse('format', o.format, 'no QLinear operator takes float8; FP8 is written as QDQ');
  if (o.reduceRange) refuse('reduceRange', o.reduceRange, 'the float8 grid has no integer range to reduce');
  if (use.activations) {
    if (o.method !== undefined && !FLOAT8_METHODS.includes(o.method)) {
      refuse('method', o.method, `FP8 activations need amax only (scale = amax / 448); use ${FLOAT8_METHODS.join(', ')} (default ${FLOAT8_DEFAULT_METHOD})`);
    }
    if (o.symmetricActivations === false) refuse('symmetricActivations', false, 'FP8 is symmetric (zero point 0)');
    if (o.narrowRangeActivations) refuse('narrowRangeActivations', true, 'the float8 grid has no integer end to drop');
  }
  if (use.weights) {
    if (o.symmetricWeights === false) refuse('symmetricWeights', false, 'FP8 is symmetric (zero point 0)');
    if (o.blockSize) refuse('blockSize', o.blockSize, 'FP8 weights are per channel or per tensor');
  }
}
