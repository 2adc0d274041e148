/** Activation clamps fused into Conv/Gemm/MatMul by the graph rewrite (internal attributes). */
import type { NodeCtx } from '../engine/context.js';
import { qRange, roundHalfEven } from './quantize.js';

/** Attribute names carrying a fused clamp [lo, hi] on a node. */
export const ACT_LO = '_qtk_act_lo', ACT_HI = '_qtk_act_hi';

/** The fused clamp of a node, [-inf, +inf] when none. */
export function fusedClamp(ctx: NodeCtx): [number, number] {
  return [ctx.float(ACT_LO, -Infinity), ctx.float(ACT_HI, Infinity)];
}

/**
 * The fused clamp of a node with an 8-bit output of `scale` and `zeroPoint`, as output codes:
 * each bound is quantized and then held within the type's range, [qmin, qmax] when none.
 * Example: uint8, scale 0.1, zero point 10, a Relu (lo 0) gives [10, 255].
 */
export function fusedClampCodes(ctx: NodeCtx, scale: number, zeroPoint: number, dtype: 'uint8' | 'int8'): [number, number] {
  const [qlo, qhi] = qRange(dtype);
  const [lo, hi] = fusedClamp(ctx);
  const code = (v: number) => Math.min(qhi, Math.max(qlo, roundHalfEven(v / scale) + zeroPoint));
  return [lo === -Infinity ? qlo : code(lo), hi === Infinity ? qhi : code(hi)];
}
