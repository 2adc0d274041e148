/**
 * The onnxruntime-node executor plugin. Register it: `registry.register(ortNode)`.
 * Example: `const s = await ortNode.createSession(model, { extraOutputs: ['conv1_out'] })`.
 */
import * as ort from 'onnxruntime-node';
import { PLUGIN_API_VERSION, type ExecutorPlugin } from '@qtk/core';
import { createOrtSession, type OrtModule } from './ortSession.js';

/** Executor plugin over onnxruntime-node (CPU). */
export const ortNode: ExecutorPlugin = {
  name: 'onnxruntime-node',
  kind: 'executor',
  apiVersion: PLUGIN_API_VERSION,
  priority: 0,
  description: 'onnxruntime-node, CPU execution provider',
  available: () => true,
  createSession: (model, options) => createOrtSession(ort as unknown as OrtModule, model, options),
};

export default ortNode;
export { createOrtSession, toOrtTensor, fromOrtTensor } from './ortSession.js';
