/**
 * Pad. Reflect, edge and wrap modes copy input values, and constant mode with value 0 adds
 * zeros, which every activation range holds exactly (ranges always include 0): the output
 * shares the input's parameters. A non-zero or run-time pad value may lie outside the
 * input's range, so the output then gets its own range from calibration.
 */
import { attrFloat, attrString, constantOf, unquantizedInputReason, type AnnotateContext, type Node, type OpHandler } from '@qtk/core';

/** The constant pad value: a number, 'dynamic' when computed at run time, or a refusal. */
function padValue(node: Node, ctx: AnnotateContext): number | 'dynamic' | { reason: string } {
  const v = node.inputs[2];
  if (!v) return attrFloat(node, 'value', 0);
  const t = constantOf(ctx, v);
  if (!t) return 'dynamic';
  if (t.size !== 1) return { reason: `pad value '${v}' has ${t.size} elements, expected 1` };
  return t.get(0);
}

/** Static handler for Pad. */
export const padHandler: OpHandler = {
  opTypes: ['Pad'],
  annotate(node, ctx) {
    const x = node.inputs[0];
    if (!x) return 'missing data input';
    const notReady = unquantizedInputReason(ctx, x);
    if (notReady) return notReady;
    const mode = attrString(node, 'mode', 'constant');
    const out = node.outputs[0]!;
    if (mode === 'reflect' || mode === 'edge' || mode === 'wrap') {
      ctx.markShared(out, x);
      return;
    }
    if (mode !== 'constant') return `unknown pad mode '${mode}'`;
    const value = padValue(node, ctx);
    if (typeof value === 'object') return value.reason;
    if (value === 'dynamic') {
      ctx.markActivation(out);
      return;
    }
    if (!Number.isFinite(value)) return `pad value ${value} cannot be quantized`;
    if (value === 0) ctx.markShared(out, x);
    else ctx.markActivation(out);
  },
};
