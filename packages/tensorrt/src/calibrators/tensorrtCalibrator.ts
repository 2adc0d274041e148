/**
 * TensorRT's calibrators as core observers: which core calibration method and observer
 * settings reproduce each `TensorrtMethod`, and which algorithm a cache of its scales
 * names in its header.
 *
 * - 'entropy' (default) is EntropyCalibration2: the KL-divergence search over a 2048-bin
 *   histogram of |x| with 128 quantized bins from start bin 128, as TensorRT describes it
 *   (GTC 2017, "8-bit Inference with TensorRT") and pytorch-quantization implements it
 *   (`_compute_amax_entropy`). Core's `entropyRange` runs that search; how it differs
 *   from pytorch-quantization in corner cases is in the package README.
 * - 'minmax' is MinMaxCalibration: amax = max |x| over all batches.
 * - 'percentile' keeps the 99.99th percentile of |x| (pytorch-quantization's and Model
 *   Optimizer's default; core's own default is 99.999).
 * - 'mse' picks the range of least quantization error on the histogram.
 *
 * Headers: percentile and MSE have no TensorRT algorithm. TensorRT uses a cache's scales
 * as written; the header only decides whether a calibrator accepts the cache (its version
 * and algorithm must match the calibrator's). Their caches say EntropyCalibration2, the
 * calibrator that `trtexec --calib`, Polygraphy and Model Optimizer use by default, so that
 * they load them as they are. MinMax keeps the MinMaxCalibration it is.
 */
import type { CalibrationMethod, ObserverConfig } from '@qtk/core';
import { QtkError } from '@qtk/core';
import type { CalibrationAlgorithm } from '../cache/calibrationCache.js';
import type { TensorrtMethod } from '../options.js';

/** The percentile `percentile` keeps unless told: pytorch-quantization's 99.99. */
export const TRT_DEFAULT_PERCENTILE = 99.99;

/** The calibrator used when none is named: EntropyCalibration2, as TensorRT and Model Optimizer. */
export const DEFAULT_TRT_METHOD: TensorrtMethod = 'entropy';

/** How core calibrates to give one TensorRT calibrator's ranges. */
export interface TensorrtCalibrator {
  /** The method this calibrator stands for. */
  readonly method: TensorrtMethod;
  /**
   * Core options that select the calibrator: spread them into `quantizeModel`'s static
   * options. TensorRT's INT8 is symmetric, so activations are symmetric int8.
   * Example (entropy): `{ method: 'entropy', activationType: 'int8', symmetricActivations: true }`.
   */
  readonly options: {
    readonly method: CalibrationMethod;
    readonly percentile?: number;
    readonly activationType: 'int8';
    readonly symmetricActivations: true;
  };
  /** The observer those options give int8 activations (core's `observerForMethod`), written out for the reader. */
  readonly observer: ObserverConfig;
  /** The algorithm a cache of this calibration names in its header (see the module comment). */
  readonly algorithm: CalibrationAlgorithm;
}

/** The methods, for checks and messages. */
const METHODS: readonly TensorrtMethod[] = ['entropy', 'minmax', 'percentile', 'mse'];

/**
 * The calibrator for `method` (default 'entropy'). `percentile` (in (0, 100], default
 * 99.99) applies to 'percentile' only. E_OPTION naming the option for an unknown method,
 * a percentile out of range, or a percentile given to another method.
 */
export function tensorrtCalibrator(method: TensorrtMethod = DEFAULT_TRT_METHOD, opts: { percentile?: number } = {}): TensorrtCalibrator {
  if (!METHODS.includes(method)) throw new QtkError('E_OPTION', `TensorRT calibration method '${String(method)}' is not one of: ${METHODS.join(', ')}`, { option: 'method' });
  if (opts.percentile !== undefined && method !== 'percentile') {
    throw new QtkError('E_OPTION', `option percentile applies to method 'percentile', not '${method}'`, { option: 'percentile' });
  }
  const p = opts.percentile ?? TRT_DEFAULT_PERCENTILE;
  if (!(typeof p === 'number' && p > 0 && p <= 100)) throw new QtkError('E_OPTION', `option percentile=${String(p)} must be a number in (0, 100]`, { option: 'percentile' });
  const int8 = { activationType: 'int8', symmetricActivations: true } as const;
  switch (method) {
    case 'entropy':
      return { method, options: { method: 'entropy', ...int8 }, observer: { kind: 'histogram', strategy: 'entropy', bins: 2048, quantizedBins: 128, startBin: 128 }, algorithm: 'EntropyCalibration2' };
    case 'minmax':
      return { method, options: { method: 'minmax', ...int8 }, observer: { kind: 'minmax' }, algorithm: 'MinMaxCalibration' };
    case 'percentile':
      return { method, options: { method: 'percentile', percentile: p, ...int8 }, observer: { kind: 'histogram', strategy: 'percentile', bins: 2048, percentile: p }, algorithm: 'EntropyCalibration2' };
    case 'mse':
      return { method, options: { method: 'mse', ...int8 }, observer: { kind: 'histogram', strategy: 'mse', bins: 2048 }, algorithm: 'EntropyCalibration2' };
  }
}
