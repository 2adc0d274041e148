/** The onnxruntime-node runtime (CPU execution provider), intra-op threads configurable. */
import { PLUGIN_API_VERSION, QtkError } from '@qtk/core';
import type { RuntimePlugin } from '../runtime.js';

/** Options of `ortNodeRuntime`. */
export interface OrtNodeRuntimeOptions {
  /** Intra-op threads (default: onnxruntime's own default, all cores). */
  threads?: number;
  /** Runtime name (default `onnxruntime-node`, with `@tN` appended when threads are set). */
  name?: string;
}

/** onnxruntime-node as a benchmark runtime. */
export function ortNodeRuntime(options: OrtNodeRuntimeOptions = {}): RuntimePlugin {
  const threads = checkThreads(options.threads, 'onnxruntime-node');
  return {
    name: options.name ?? `onnxruntime-node${threads ? `@t${threads}` : ''}`,
    kind: 'runtime',
    apiVersion: PLUGIN_API_VERSION,
    description: 'onnxruntime-node, CPU execution provider',
    settings: { threads: threads ?? 'default' },
    sessionOptions: threads ? { threads } : {},
    async load() {
      return (await import('@qtk/onnxruntime/node')).ortNode;
    },
    async version() {
      return (await import('onnxruntime-node')).env.versions.node;
    },
  };
}

/** Checks a thread count option: undefined or a positive integer. */
export function checkThreads(threads: number | undefined, runtime: string): number | undefined {
  if (threads === undefined) return undefined;
  if (!Number.isInteger(threads) || threads < 1) {
    throw new QtkError('E_OPTION', `${runtime}: threads must be a positive integer, got ${threads}`, { option: 'threads' });
  }
  return threads;
}
