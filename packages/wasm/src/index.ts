/**
 * @qtk/wasm: qtk's INT8/FP32 inference engine on WebAssembly SIMD kernels, with an API shaped
 * like onnxruntime-common. Browser-safe: loading a model by path imports Node's file access
 * only when used.
 * Example: `const s = await InferenceSession.create(bytes); const { logits } = await s.run({ input: new Tensor('float32', x, [1, 1, 8, 8]) });`
 */
export { InferenceSession, type SessionOptions, type FeedsType, type ReturnType, type SessionInfo, type SessionMemory } from './session.js';
export { Tensor, type TensorType, type TensorData, type TensorDataMap } from './tensor.js';
export { fromCoreTensor, toCoreTensor } from './coreTensor.js';
export { wasmExecutor, createWasmSession } from './executor.js';
export { DEFAULT_MAX_ARENA_BYTES } from './engine/planner.js';
