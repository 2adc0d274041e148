/**
 * Which core calibration options give each TensorRT calibrator's INT8 ranges, and the
 * algorithm a cache of them names: entropy is EntropyCalibration2, minmax
 * MinMaxCalibration; percentile (99.99 unless told, pytorch-quantization's default) and
 * MSE have no TensorRT calibrator of their own, and their caches name EntropyCalibration2,
 * the one `trtexec` and Model Optimizer load by default (TensorRT uses a cache's scales as
 * written; the header only decides which calibrator accepts it).
 */
import type { CalibrationMethod } from '@qtk/core';
import type { CalibrationAlgorithm } from './cache/calibrationCache.js';
import type { TensorrtMethod } from './options.js';

/** The percentile TensorRT's percentile calibration keeps unless told. */
const TRT_PERCENTILE = 99.99;

/** Core options and cache header algorithm of one calibrator. */
export interface CalibratorChoice {
  options: { method: CalibrationMethod; percentile?: number };
  algorithm: CalibrationAlgorithm;
}

/** The calibrator `method` stands for; `percentile` applies to 'percentile' (checked by core). */
export function calibratorOf(method: TensorrtMethod, percentile?: number): CalibratorChoice {
  switch (method) {
    case 'entropy': return { options: { method: 'entropy' }, algorithm: 'EntropyCalibration2' };
    case 'minmax': return { options: { method: 'minmax' }, algorithm: 'MinMaxCalibration' };
    case 'percentile': return { options: { method: 'percentile', percentile: percentile ?? TRT_PERCENTILE }, algorithm: 'EntropyCalibration2' };
    case 'mse': return { options: { method: 'mse' }, algorithm: 'EntropyCalibration2' };
  }
}
