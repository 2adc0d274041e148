/**
 * @qtk/onnxruntime: the onnxruntime backend plugin and executors over onnxruntime. Import
 * the runtime you want from `@qtk/onnxruntime/node` or `@qtk/onnxruntime/web`, the backend
 * alone from `@qtk/onnxruntime/policy`; this root holds the shared parts.
 */
export { createOrtSession, toOrtTensor, fromOrtTensor, type OrtModule } from './ortSession.js';
export * from './policy.js';
