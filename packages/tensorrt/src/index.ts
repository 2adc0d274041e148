/**
 * @qtk/tensorrt: quantize ONNX models for TensorRT. Explicit quantization places symmetric
 * Q/DQ by TensorRT's rules (INT8, FP8 E4M3, blocked INT4 weights); implicit calibration
 * reads and writes TensorRT's calibration cache.
 */
export { DEFAULT_TRT_VERSION, type Int4Algorithm, type TensorrtMethod, type TensorrtPrecision } from './options.js';
export { tensorrtBackend, tensorrtBackend as default, type TensorrtBackendOptions } from './backend.js';
export { tensorrtPlugin } from './plugin.js';
export { quantize, type TensorrtQuantizeResult } from './quantize.js';
export {
  DEFAULT_INT4_BLOCK_SIZE, INT4_ALGORITHMS, type OptionLabel, planTensorrt, PRECISIONS, TENSORRT_METHODS, type TensorrtOptionsGiven,
  type TensorrtPlan, type TensorrtQuantizeOptions
} from './quantizeOptions.js';
export { tensorrtOptionSpec } from './optionSpec.js';
export { type TensorrtRunOptions } from './runOptions.js';
export { tensorrtPolicy } from './policy/tensorrtPolicy.js';
export { annotatesFloat8, fp8ConvHandler, fp8ConvReason, TENSORRT_FP8_HANDLERS, withFp8Placement } from './policy/fp8.js';
export { TENSORRT_FP8_OPTIONS } from './fp8Options.js';
export { tensorrtProblems } from './validate/tensorrtProblems.js';
export { validateTensorrt } from './validate/validateTensorrt.js';
export { CALIBRATION_ALGORITHMS, type CalibrationAlgorithm, type CalibrationCache } from './cache/calibrationCache.js';
export { trtVersionDigits } from './cache/trtVersion.js';
export { readCalibrationCache, type ReadCacheOptions } from './cache/readCache.js';
export { writeCalibrationCache } from './cache/writeCache.js';
export { cacheFromCalibration, type CacheHeader } from './cache/fromCalibration.js';
export { rangesFromCache } from './cache/rangesFromCache.js';
export { DEFAULT_TRT_METHOD, tensorrtCalibrator, type TensorrtCalibrator, TRT_DEFAULT_PERCENTILE } from './calibrators/tensorrtCalibrator.js';
export { quantizeInt4, type Int4Context } from './int4/quantizeInt4.js';
export { INT4_BLOCK_SIZES, type Int4Options, type ResolvedInt4Options, resolveInt4Options } from './int4/int4Options.js';
export { type Int4LayerReport, type Int4Report, type Int4Result, type Int4ScaledInput } from './int4/report.js';
export { type ScaleFold } from './int4/foldScale.js';
