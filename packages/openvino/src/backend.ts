/**
 * The OpenVINO backend: NNCF's post-training quantization placement and defaults for QDQ
 * ONNX models that OpenVINO reads. Placement follows NNCF's hardware configuration of the
 * target device, its fused patterns and its quantizer propagation (see ./policy); the
 * defaults follow the preset (see `presetDefaults`).
 * Example: `quantizeModel(model, { backendOptions: { preset: 'mixed' } }, { backend: openvinoBackend, executor, calibration })`.
 */
import { PLUGIN_API_VERSION, type BackendDefaults, type BackendPlugin } from '@qtk/core';
import { presetDefaults, resolveOpenvinoOptions, type OpenvinoBackendOptions } from './policy/backendOptions.js';
import { openvinoPolicy } from './policy/openvinoPolicy.js';

/** The OpenVINO backend plugin (registry kind 'backend', name 'openvino'); `backendOptions` typed `OpenvinoBackendOptions`. */
export const openvinoBackend: BackendPlugin<OpenvinoBackendOptions> = {
  name: 'openvino',
  kind: 'backend',
  apiVersion: PLUGIN_API_VERSION,
  description: "OpenVINO through NNCF's rules: its CPU hardware configuration, fused patterns and quantizer propagation; QDQ",
  policy: openvinoPolicy,
  defaults: presetDefaults('performance'),
  defaultsFor(backendOptions: OpenvinoBackendOptions | undefined): BackendDefaults {
    return presetDefaults(resolveOpenvinoOptions(backendOptions).preset);
  },
};

export default openvinoBackend;
