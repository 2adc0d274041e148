/**
 * The TensorRT backend: explicit quantization placed by TensorRT's rules (./policy),
 * symmetric INT8 defaults as TensorRT and Model Optimizer use them, and a check of the
 * result against the Q/DQ constraints of TensorRT's ONNX parser (./validate).
 */
import { PLUGIN_API_VERSION, type BackendPlugin } from '@qtk/core';
import { tensorrtPolicy } from './policy/tensorrtPolicy.js';
import { tensorrtProblems } from './validate/tensorrtProblems.js';

/**
 * The TensorRT backend's own options (`backendOptions`). None yet: placement depends only
 * on the graph. Precision-specific settings belong here as they are added.
 */
export interface TensorrtBackendOptions {}

/**
 * The TensorRT backend plugin (registry kind 'backend', name 'tensorrt'): Q/DQ on the inputs
 * of Conv, ConvTranspose, Gemm/MatMul, residual skip branches, pooling and normalization;
 * symmetric INT8 (zero point 0) activations per tensor and weights per output channel, weights
 * stored as int8 initializers behind DequantizeLinear; activations on TensorRT's grid
 * [-127, 127] (scale amax / 127, what a calibration cache holds); entropy calibration.
 */
export const tensorrtBackend: BackendPlugin<TensorrtBackendOptions> = {
  name: 'tensorrt',
  kind: 'backend',
  apiVersion: PLUGIN_API_VERSION,
  description: "TensorRT explicit quantization: symmetric INT8 Q/DQ on layer inputs, placed for TensorRT's fusions",
  policy: tensorrtPolicy,
  defaults: {
    activationType: 'int8',
    weightType: 'int8',
    perChannel: true,
    symmetricActivations: true,
    narrowRangeActivations: true,
    symmetricWeights: true,
    reduceRange: false,
    method: 'entropy',
    format: 'qdq',
  },
  validate: tensorrtProblems,
};

export default tensorrtBackend;
