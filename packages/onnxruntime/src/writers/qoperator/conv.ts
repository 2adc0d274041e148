/**
 * Conv → QLinearConv: uint8/int8 activations, constant weights quantized per tensor or
 * per output channel (axis 0), int32 bias passed directly (requantized when its scale is
 * not input scale × weight scale; a float constant bias is quantized).
 */
import { biasName, resolveWeight, weightInputIndex } from '@qtk/core';
import { int32Bias } from './bias.js';
import { activationProblem, dequantizedInput, requireDequantized, requireQuantizedOutput } from './operands.js';
import { outputTypeProblem, weightTypeProblem } from './support.js';
import type { QOperatorRule } from './rule.js';

/** Rule for Conv. */
export const convRule: QOperatorRule = {
  opTypes: ['Conv'],
  rewrite(node, ctx) {
    const x = dequantizedInput(node, 0, ctx);
    if (x === null || typeof x === 'string') return x;
    const w = requireDequantized(node, weightInputIndex(node)!, ctx);
    if (typeof w === 'string') return w;
    const y = requireQuantizedOutput(node, ctx);
    if (typeof y === 'string') return y;
    const wt = ctx.constant(w.value);
    if (!wt) return `weight '${w.value}' of '${node.name}' is not a constant`;
    const rank = wt.dims.length;
    const channelAxis = resolveWeight(node, rank)!.channelAxis!;
    const channels = wt.dims[channelAxis]!;
    if (w.params.axis !== undefined && w.params.axis !== channelAxis && w.params.axis !== channelAxis - rank) {
      return `weight '${w.value}' of '${node.name}' is quantized along axis ${w.params.axis}; QLinearConv takes output channels (axis ${channelAxis})`;
    }
    const why = activationProblem(x.params, `input of '${node.name}'`) ?? activationProblem(y.params, `output of '${node.name}'`)
      ?? weightTypeProblem(x.params.dtype, w.params.dtype) ?? outputTypeProblem(x.params.dtype, y.params.dtype);
    if (why) return why;
    const inputs = [
      x.value, x.params.scale, ctx.zeroPointInput(x.params),
      w.value, w.params.scale, ctx.zeroPointInput(w.params),
      y.params.scale, ctx.zeroPointInput(y.params),
    ];
    const b = biasName(node);
    if (b) {
      const bias = int32Bias(b, x.params.scales[0]!, w.params.scales, channels, ctx);
      if (typeof bias === 'string') return bias;
      inputs.push(bias.value);
    }
    return { node: { name: node.name, opType: 'QLinearConv', domain: '', inputs, outputs: [y.value], attributes: node.attributes }, drop: [y.node, ...y.fused] };
  },
};
