/** Per-tensor (scalar) inputs of quantized ops: scales and zero points. */
import type { NodeCtx } from '../engine/context.js';
import type { Val } from '../engine/value.js';

/**
 * A one-element input as a number when constant, the value itself when known only at run
 * time, `fallback` when omitted; E_UNSUPPORTED naming the node when it has more elements.
 */
export function scalarOrRuntime(ctx: NodeCtx, v: Val | undefined, what: string, fallback: number): number | Val {
  if (!v) return fallback;
  if (v.size !== 1) throw ctx.unsupported(`${what} must be a scalar (per-tensor)`);
  return v.isConst ? v.num(0) : v;
}

/** A one-element constant input as a number (`fallback` when omitted); it must be known at planning. */
export function constScalar(ctx: NodeCtx, v: Val | undefined, what: string, fallback: number): number {
  if (v) ctx.needConst(v, what);
  return scalarOrRuntime(ctx, v, what, fallback) as number;
}
