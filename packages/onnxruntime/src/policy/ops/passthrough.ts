/**
 * Ops that only move or copy values (Reshape, Transpose, Slice, Tile, DepthToSpace ...):
 * every output value is one of the input's values, so the output reuses the input's scale
 * and zero point and requantizing it is exact. onnxruntime then drops the DequantizeLinear/
 * QuantizeLinear pair around most of them (Reshape, Transpose, Slice, Tile, DepthToSpace,
 * Expand ...) and moves the integers. Only when the input is quantized.
 */
import { shareOutputs, unquantizedInputReason, type OpHandler } from '@qtk/core';

/** Op types whose first output is a rearrangement of the values of their first input. */
export const PASSTHROUGH_OPS = [
  'Reshape', 'Transpose', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity',
  'Slice', 'Expand', 'Tile', 'DepthToSpace', 'SpaceToDepth',
] as const;

/** Static handler for parameter-sharing layout ops. */
export const passthroughHandler: OpHandler = {
  opTypes: PASSTHROUGH_OPS,
  annotate(node, ctx) {
    const x = node.inputs[0];
    if (!x) return 'missing data input';
    const notReady = unquantizedInputReason(ctx, x);
    if (notReady) return notReady;
    shareOutputs(ctx, node.outputs.slice(0, 1), x);
  },
};
