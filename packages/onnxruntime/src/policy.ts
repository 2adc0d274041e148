/**
 * @qtk/onnxruntime/policy: the onnxruntime backend plugin alone (placement policy, defaults,
 * Conv widening), without loading onnxruntime-node or onnxruntime-web, so that a browser
 * bundle can quantize for onnxruntime without the runtime.
 * Example: `quantizeModel(model, {}, { backend: onnxruntimeBackend, executor, calibration })`.
 */
import { onnxruntimeBackend } from './policy/onnxruntimeBackend.js';

export { onnxruntimeBackend } from './policy/onnxruntimeBackend.js';
export { STATIC_HANDLERS } from './policy/ops/index.js';
export { INTEGER_KERNEL_ACTIVATIONS, FLOAT_KERNEL_ACTIVATIONS } from './policy/ops/activation.js';
export { alignConvInputChannels, channelFillers, convChannelPreparation, CONV_CHANNEL_MULTIPLE, usesSymmetricConvKernel } from './policy/convChannels.js';

export default onnxruntimeBackend;
