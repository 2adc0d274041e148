/**
 * Outcome classes of a fuzz case. A case either passes (the entry point accepted the bytes)
 * or fails in a typed way (a QtkError with a code), which are both fine; everything else is
 * a finding: an untyped error (TypeError, RangeError, ...), a WebAssembly trap that escaped
 * as a RuntimeError, a hang past the per-case timeout, a crashed worker, runaway memory.
 * Example: `classifyError(new QtkError('E_ONNX_DECODE', 'x'))` is `{ kind: 'typed', code: 'E_ONNX_DECODE', ... }`.
 */
import { isQtkError } from '@qtk/core';

/** How a case ended. */
export type OutcomeKind = 'ok' | 'typed' | 'untyped' | 'trap' | 'hang' | 'crash' | 'memory';

/** Outcome kinds that are findings (the rest are the expected behaviour on bad input). */
export const FINDING_KINDS: readonly OutcomeKind[] = ['untyped', 'trap', 'hang', 'crash', 'memory'];

/** How a case ended, with what the error said. */
export interface Outcome {
  kind: OutcomeKind;
  /** QtkError code of a typed error. */
  code?: string;
  /** Error class name (TypeError, RuntimeError, ...) or what stopped the case. */
  name?: string;
  /** First line of the message, at most 200 characters. */
  message?: string;
  /** Topmost stack frame inside the repository, as file:line. */
  at?: string;
}

/** The topmost stack frame in a workspace source file (not node_modules), as `packages/x/y.ts:12`. */
export function topFrame(stack: string | undefined): string | undefined {
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const m = /((?:packages|tools)\/[^\s:()]+):(\d+)/.exec(line);
    if (m && !line.includes('node_modules')) return `${m[1]}:${m[2]}`;
  }
  return undefined;
}

/** Classifies what an entry point threw. */
export function classifyError(e: unknown): Outcome {
  const err = e instanceof Error ? e : new Error(String(e));
  const message = err.message.split('\n')[0]!.slice(0, 200);
  if (isQtkError(e)) return { kind: 'typed', code: e.code, name: 'QtkError', message };
  const trap = typeof WebAssembly === 'object' && e instanceof WebAssembly.RuntimeError;
  return { kind: trap ? 'trap' : 'untyped', name: err.name, message, at: topFrame(err.stack) };
}

/**
 * A key that groups outcomes of one underlying cause: the class, the error name, where it
 * was thrown and the message with numbers and quoted names blanked.
 */
export function signature(o: Outcome): string {
  const msg = (o.message ?? '').replace(/'[^']*'/g, "'…'").replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/gi, 'N');
  return [o.kind, o.code ?? o.name ?? '', o.at ?? '', msg].join(' | ');
}
