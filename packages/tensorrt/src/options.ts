/**
 * The options of `@qtk/tensorrt`: what users pick when they quantize for TensorRT.
 */

/** Numeric format of the quantized model: symmetric INT8 Q/DQ, FP8 E4M3 Q/DQ (opset 19), or blocked INT4 weights (opset 21). */
export type TensorrtPrecision = 'int8' | 'fp8' | 'int4';

/** TensorRT's calibrators: EntropyCalibration2 (the default, as Model Optimizer), MinMaxCalibration, percentile and MSE. */
export type TensorrtMethod = 'entropy' | 'minmax' | 'percentile' | 'mse';

/** How INT4 weights find their scales: Model Optimizer's `awq_lite` per-channel scale search (default) or round-to-nearest. */
export type Int4Algorithm = 'awq_lite' | 'rtn';

/** The TensorRT version a calibration cache is written for when none is given. */
export const DEFAULT_TRT_VERSION = '10.3.0';
