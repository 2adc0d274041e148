/** The executor the commands run models on: onnxruntime-node, optionally with a fixed thread count. */
import type { Executor } from '@qtk/core';

/**
 * `executor` with `threads` intra-op threads for every session that does not ask for its
 * own count; `executor` itself when `threads` is undefined or 0.
 * Example: `withThreads(ortNode, 2)`.
 */
export function withThreads(executor: Executor, threads?: number): Executor {
  if (!threads) return executor;
  return { name: executor.name, createSession: (m, o) => executor.createSession(m, { ...o, threads: o?.threads ?? threads }) };
}
