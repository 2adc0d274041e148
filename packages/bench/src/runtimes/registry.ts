/**
 * Runtimes through the plugin registry: register the built-in ones (or your own
 * `RuntimePlugin`) under kind 'runtime', then pick them by name for `runBench`.
 *
 * Example:
 *   const reg = createRegistry();
 *   registerBuiltinRuntimes(reg, { threads: 2 });
 *   reg.register(myRuntime);
 *   await runBench({ models, runtimes: runtimesFrom(reg, ['onnxruntime-node@t2', 'my-engine']) });
 */
import type { Registry } from '@qtk/core';
import type { RuntimePlugin } from '../runtime.js';
import { ortNodeRuntime } from './ortNode.js';
import { ortWebRuntime } from './ortWeb.js';
import { qtkWasmRuntime } from './qtkWasm.js';

/** Settings of the built-in runtimes. */
export interface BuiltinRuntimeOptions {
  /** onnxruntime-node intra-op threads (default: its own default). */
  threads?: number;
  /** onnxruntime-web wasm threads (default 1). */
  webThreads?: number;
}

/** onnxruntime-node, onnxruntime-web (wasm in Node) and qtk-wasm, with the given settings. */
export function builtinRuntimes(options: BuiltinRuntimeOptions = {}): RuntimePlugin[] {
  return [ortNodeRuntime({ threads: options.threads }), ortWebRuntime({ threads: options.webThreads }), qtkWasmRuntime()];
}

/** Registers the built-in runtimes in `registry`; returns them. */
export function registerBuiltinRuntimes(registry: Registry, options: BuiltinRuntimeOptions = {}): RuntimePlugin[] {
  return builtinRuntimes(options).map((r) => registry.register(r));
}

/** Runtime plugins of a registry: the named ones (E_PLUGIN lists the known names for a missing one), else all by priority. */
export function runtimesFrom(registry: Registry, names?: readonly string[]): RuntimePlugin[] {
  return names ? names.map((n) => registry.get<RuntimePlugin>('runtime', n)) : registry.list<RuntimePlugin>('runtime');
}
