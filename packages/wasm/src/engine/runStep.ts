/**
 * Runs one plan step so that only QtkErrors leave it: a WebAssembly trap (out-of-bounds
 * access, unreachable, integer overflow) or another untyped failure of a kernel becomes
 * E_EXECUTOR naming the node. A trap leaves no state behind that a later run depends on: the
 * kernels keep no state between calls but their scratch base, and every run rewrites its
 * inputs and recomputes every arena buffer it reads.
 */
import { isQtkError, QtkError } from '@qtk/core';
import type { Step } from './context.js';

/** Runs `step`; E_EXECUTOR naming its node for a trap or any other non-QtkError. */
export function runStep(step: Step): void {
  try {
    step.run();
  } catch (e) {
    if (isQtkError(e)) {
      if (e.where.node !== undefined) throw e;
      throw new QtkError(e.code, `${step.op} node '${step.node}': ${e.message}`, { ...e.where, node: step.node }, { cause: e });
    }
    const what = e instanceof WebAssembly.RuntimeError ? 'the WebAssembly kernel trapped' : 'the kernel failed';
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new QtkError('E_EXECUTOR', `${step.op} node '${step.node}': ${what} (${msg}); the session stays usable`, { node: step.node }, { cause: e });
  }
}
