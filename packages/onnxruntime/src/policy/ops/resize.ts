/**
 * Resize (and the older Upsample). Nearest picks input values and linear interpolation
 * stays between them, so the output shares the input's parameters and onnxruntime resizes
 * the integers. Cubic interpolation overshoots the input's range and tf_crop_and_resize
 * writes `extrapolation_value` outside the crop: those outputs get their own range.
 */
import { attrFloat, attrString, unquantizedInputReason, type Node, type OpHandler } from '@qtk/core';

/** True when every output value lies within the range of the input values. */
export function resizeStaysInRange(node: Node): boolean {
  const mode = attrString(node, 'mode', 'nearest');
  if (mode !== 'nearest' && mode !== 'linear' && mode !== 'bilinear') return false;
  const coords = attrString(node, 'coordinate_transformation_mode', 'half_pixel');
  return coords !== 'tf_crop_and_resize' || attrFloat(node, 'extrapolation_value', 0) === 0;
}

/** Static handler for Resize and Upsample. */
export const resizeHandler: OpHandler = {
  opTypes: ['Resize', 'Upsample'],
  annotate(node, ctx) {
    const x = node.inputs[0];
    if (!x) return 'missing data input';
    const notReady = unquantizedInputReason(ctx, x);
    if (notReady) return notReady;
    const out = node.outputs[0]!;
    if (resizeStaysInRange(node)) ctx.markShared(out, x);
    else ctx.markActivation(out);
  },
};
