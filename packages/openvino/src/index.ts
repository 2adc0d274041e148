/**
 * @qtk/openvino: NNCF-style quantization of ONNX models for OpenVINO (QDQ ONNX, the form
 * NNCF's ONNX backend writes and OpenVINO reads).
 */
export type { ModelType, Preset, TargetDevice } from './options.js';
