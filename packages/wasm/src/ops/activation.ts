/** Activation clamps fused into Conv/Gemm/MatMul by the graph rewrite (internal attributes). */
import type { NodeCtx } from '../engine/context.js';

/** Attribute names carrying a fused clamp [lo, hi] on a node. */
export const ACT_LO = '_qtk_act_lo', ACT_HI = '_qtk_act_hi';

/** The fused clamp of a node, [-inf, +inf] when none. */
export function fusedClamp(ctx: NodeCtx): [number, number] {
  return [ctx.float(ACT_LO, -Infinity), ctx.float(ACT_HI, Infinity)];
}
