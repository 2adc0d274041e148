/**
 * @qtk/wasm as a core executor plugin, so calibration, quality reports and mixed precision
 * can run on the engine where onnxruntime is not available (a browser without
 * onnxruntime-web, say). Register it (`registry.register(wasmExecutor)`) or pass it:
 * `quantizeModel(model, {}, { backend, executor: wasmExecutor, calibration })`.
 */
import {
  PLUGIN_API_VERSION, QtkError, Tensor as CoreTensor, encodeModel, withExtraOutputs,
  type ExecutorPlugin, type ExecutorSession, type Model, type SessionOptions,
} from '@qtk/core';
import { InferenceSession } from './session.js';
import { fromCoreTensor, toCoreTensor } from './coreTensor.js';
import { isTensorType, type Tensor } from './tensor.js';

/** Executor plugin over the @qtk/wasm engine (one thread unless `threads` says more). */
export const wasmExecutor: ExecutorPlugin = {
  name: 'qtk-wasm',
  kind: 'executor',
  apiVersion: PLUGIN_API_VERSION,
  priority: -10,
  description: "qtk's WebAssembly SIMD engine",
  available: () => typeof WebAssembly === 'object',
  createSession: (model, options) => createWasmSession(model, options),
};

/**
 * A session of `model` (plus `options.extraOutputs` as outputs) on the engine. The model is
 * copied through its bytes, since the engine rewrites the graph it loads. Throws the
 * engine's QtkError (E_UNSUPPORTED naming the node) for what it cannot run.
 */
export async function createWasmSession(model: Model, options: SessionOptions = {}): Promise<ExecutorSession> {
  const m = options.extraOutputs?.length ? withExtraOutputs(model, options.extraOutputs) : model;
  const session = await InferenceSession.create(encodeModel(m).model, { intraOpNumThreads: options.threads ?? 1 });
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds, fetches) {
      const wasmFeeds: Record<string, Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) {
        if (!isTensorType(t.dtype)) throw new QtkError('E_EXECUTOR', `@qtk/wasm cannot take ${t.dtype} input '${name}'`, { tensor: name });
        wasmFeeds[name] = fromCoreTensor(t, name);
      }
      const out = await session.run(wasmFeeds);
      const result: Record<string, CoreTensor> = {};
      for (const name of fetches ?? session.outputNames) {
        const t = out[name];
        if (!t) throw new QtkError('E_EXECUTOR', `@qtk/wasm returned no output '${name}'`, { tensor: name });
        result[name] = toCoreTensor(t);
      }
      return result;
    },
    release: () => session.release(),
  };
}
