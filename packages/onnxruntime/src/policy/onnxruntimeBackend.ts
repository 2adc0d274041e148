/**
 * The onnxruntime backend: where onnxruntime's CPU provider wants Q/DQ (one handler per op
 * family under ops/), its u8s8 defaults (uint8 activations, int8 symmetric per-channel
 * weights: the fast path of its x86 integer kernels), Conv input widening for its symmetric
 * convolution kernel, and its writers: com.microsoft Q/DQ where ONNX's are missing, QOperator, MatMulNBits and
 * GatherBlockQuantized (see ../writers).
 */
import { PLUGIN_API_VERSION, policyFromHandlers, type BackendPlugin } from '@qtk/core';
import { STATIC_HANDLERS } from './ops/index.js';
import { convChannelPreparation } from './convChannels.js';
import { ORT_WRITERS } from '../writers/index.js';

/** The onnxruntime backend plugin (registry kind 'backend', name 'onnxruntime'). */
export const onnxruntimeBackend: BackendPlugin = {
  name: 'onnxruntime',
  kind: 'backend',
  apiVersion: PLUGIN_API_VERSION,
  description: "onnxruntime's CPU provider: QDQ or QOperator, uint8 activations and int8 per-channel weights",
  policy: policyFromHandlers(STATIC_HANDLERS),
  defaults: { activationType: 'uint8', weightType: 'int8', perChannel: true },
  prepare: convChannelPreparation,
  writers: ORT_WRITERS,
};
