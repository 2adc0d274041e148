/**
 * @qtk/openvino: NNCF-style quantization of ONNX models for OpenVINO (QDQ ONNX, the form
 * NNCF's ONNX backend writes and OpenVINO reads).
 */
export type { ModelType, Preset, TargetDevice } from './options.js';
export { Dataset, type DatasetTransform } from './dataset.js';
export { DEFAULT_SUBSET_SIZE, type IgnoredScope, type OpenVinoQuantizeContext, type OpenVinoQuantizeOptions, quantize } from './quantize.js';
export { COMPUTE_OP_TYPES, DEFAULT_RANKING_SUBSET_SIZE, quantizeWithAccuracyControl } from './accuracyControl/algorithm.js';
export type { AccuracyControlContext, AccuracyControlOptions, AccuracyControlReport, AccuracyProgress, AccuracyStep, DropType, RankedNode, RunModel, SearchStrategy, ValidateFn } from './accuracyControl/types.js';
