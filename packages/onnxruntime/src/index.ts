/**
 * @qtk/onnxruntime: executors over onnxruntime. Import the runtime you want from
 * `@qtk/onnxruntime/node` or `@qtk/onnxruntime/web`; this root holds the shared parts.
 */
export { createOrtSession, toOrtTensor, fromOrtTensor, type OrtModule } from './ortSession.js';
