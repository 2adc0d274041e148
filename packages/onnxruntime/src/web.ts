/**
 * The onnxruntime-web (wasm backend) executor plugin; runs in browsers and in Node.
 * Threads default to 1 (multi-threading needs cross-origin isolation in browsers).
 */
import * as ort from 'onnxruntime-web';
import { PLUGIN_API_VERSION, type ExecutorPlugin } from '@qtk/core';
import { createOrtSession, type OrtModule } from './ortSession.js';

/** Executor plugin over onnxruntime-web's wasm backend. */
export const ortWeb: ExecutorPlugin = {
  name: 'onnxruntime-web',
  kind: 'executor',
  apiVersion: PLUGIN_API_VERSION,
  priority: 10,
  description: 'onnxruntime-web, wasm execution provider',
  available: () => typeof WebAssembly === 'object',
  createSession: (model, options) => {
    ort.env.wasm.numThreads = options?.threads ?? 1;
    return createOrtSession(ort as unknown as OrtModule, model, { ...options, threads: undefined, ortOptions: { executionProviders: ['wasm'] } });
  },
};

export default ortWeb;
