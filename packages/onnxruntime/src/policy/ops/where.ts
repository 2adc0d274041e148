/**
 * Where: the condition stays boolean; the two value inputs are quantized and the output
 * gets its own range, since it mixes values of both (onnxruntime fuses the pattern into
 * QLinearWhere). As onnxruntime does, a value input computed at run time must already be
 * quantized. A constant value becomes a per-tensor weight, unless it is the huge fill of an
 * attention mask, which would stretch the output range over all useful resolution.
 */
import { constantOf, markFloatInput, nonFloatReason, unquantizedInputReason, type OpHandler } from '@qtk/core';

/** Constant values at or beyond this magnitude are treated as mask fills and refused. */
export const MASK_FILL_MAGNITUDE = 1e4;

/** Static handler for Where. */
export const whereHandler: OpHandler = {
  opTypes: ['Where'],
  annotate(node, ctx) {
    const values = [node.inputs[1], node.inputs[2]];
    for (const v of values) {
      if (!v) return 'missing value input';
      const bad = nonFloatReason(ctx, v);
      if (bad) return bad;
      const t = constantOf(ctx, v);
      if (t) {
        for (let i = 0; i < t.size; i++) {
          const x = t.get(i);
          if (!(Math.abs(x) < MASK_FILL_MAGNITUDE)) return `constant '${v}' holds ${Number(x.toPrecision(3))}: a mask fill would swamp the output range`;
        }
      } else {
        const notReady = unquantizedInputReason(ctx, v);
        if (notReady) return notReady;
      }
    }
    for (const v of values) markFloatInput(ctx, v!);
    ctx.markActivation(node.outputs[0]!);
  },
};
