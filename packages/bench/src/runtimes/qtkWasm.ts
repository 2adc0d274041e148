/**
 * The `@qtk/wasm` engine as a runtime, loaded on demand: the package may be missing or
 * may not offer an executor yet, and then `load()` throws saying which. It takes an
 * executor plugin the package exports, or else adapts its onnxruntime-shaped
 * `InferenceSession` and `Tensor`.
 */
import { PLUGIN_API_VERSION, QtkError, type Executor } from '@qtk/core';
import type { RuntimePlugin } from '../runtime.js';
import { executorFromOrtLikeModule, findExecutorExport } from './ortLike.js';
import { packageVersion } from './packageVersion.js';

/** Options of `qtkWasmRuntime`. */
export interface QtkWasmRuntimeOptions {
  /** Runtime name (default `qtk-wasm`). */
  name?: string;
  /** The module specifier to import (default `@qtk/wasm`). */
  specifier?: string;
}

/** qtk's own WebAssembly engine as a benchmark runtime (single-threaded). */
export function qtkWasmRuntime(options: QtkWasmRuntimeOptions = {}): RuntimePlugin {
  const name = options.name ?? 'qtk-wasm';
  const specifier = options.specifier ?? '@qtk/wasm';
  return {
    name,
    kind: 'runtime',
    apiVersion: PLUGIN_API_VERSION,
    description: `qtk's WebAssembly SIMD engine (${specifier})`,
    settings: { threads: 1 },
    async load(): Promise<Executor> {
      let mod: Record<string, unknown>;
      try {
        mod = (await import(/* @vite-ignore */ specifier)) as Record<string, unknown>;
      } catch (e) {
        throw new QtkError('E_PLUGIN', `${name}: cannot import '${specifier}': ${(e as Error).message}`, { option: specifier }, { cause: e });
      }
      return findExecutorExport(mod) ?? executorFromOrtLikeModule(mod, name, specifier);
    },
    async version() {
      return packageVersion(specifier);
    },
  };
}
