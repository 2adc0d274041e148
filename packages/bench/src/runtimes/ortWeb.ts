/**
 * The onnxruntime-web runtime: its WebAssembly backend, run inside Node. Threads and the
 * SIMD check are process-wide settings of onnxruntime-web fixed when its wasm module
 * first loads, so a second runtime asking for other values fails with that reason.
 */
import { PLUGIN_API_VERSION, QtkError, type Executor } from '@qtk/core';
import type { RuntimePlugin } from '../runtime.js';
import { checkThreads } from './ortNode.js';

/** Options of `ortWebRuntime`. */
export interface OrtWebRuntimeOptions {
  /** wasm threads (default 1). */
  threads?: number;
  /** Use the SIMD build (default true; onnxruntime-web 1.30 ships SIMD builds only). */
  simd?: boolean;
  /** Runtime name (default `onnxruntime-web`, with `@tN` appended for threads other than 1). */
  name?: string;
}

/** The thread count onnxruntime-web was first loaded with in this process. */
let fixedThreads: number | undefined;

/** onnxruntime-web (wasm backend) as a benchmark runtime. */
export function ortWebRuntime(options: OrtWebRuntimeOptions = {}): RuntimePlugin {
  const threads = checkThreads(options.threads, 'onnxruntime-web') ?? 1;
  const simd = options.simd ?? true;
  const name = options.name ?? `onnxruntime-web${threads !== 1 ? `@t${threads}` : ''}${simd ? '' : '-nosimd'}`;
  return {
    name,
    kind: 'runtime',
    apiVersion: PLUGIN_API_VERSION,
    description: 'onnxruntime-web, wasm execution provider, in Node',
    settings: { threads, simd },
    sessionOptions: { threads },
    async load(): Promise<Executor> {
      if (typeof WebAssembly !== 'object') throw new QtkError('E_UNSUPPORTED', `${name}: this JavaScript engine has no WebAssembly`);
      if (!simd) {
        throw new QtkError('E_UNSUPPORTED', `${name}: onnxruntime-web 1.30 ships SIMD wasm builds only; simd=false cannot be honoured`, { option: 'simd' });
      }
      if (fixedThreads !== undefined && fixedThreads !== threads) {
        throw new QtkError('E_UNSUPPORTED', `${name}: onnxruntime-web fixes its thread count when first loaded; this process already uses ${fixedThreads} (run other counts in another process)`, { option: 'threads' });
      }
      fixedThreads = threads;
      return (await import('@qtk/onnxruntime/web')).ortWeb;
    },
    async version() {
      return (await import('onnxruntime-web')).env.versions.web;
    },
  };
}
