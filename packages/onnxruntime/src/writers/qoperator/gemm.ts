/**
 * Gemm → com.microsoft QGemm: uint8/int8 activations, weights per tensor or per output
 * column (axis 1, or 0 with transB), int32 bias at scale input × weight (a float
 * constant bias of one value per column is quantized to it). When no
 * QuantizeLinear reads the output (a graph output, float readers) QGemm writes float.
 */
import { attrFloat, attrInt, biasName, resolveWeight, type Attribute } from '@qtk/core';
import { int32Bias } from './bias.js';
import { activationProblem, dequantizedInput, requireDequantized } from './operands.js';
import { isPerTensor } from './quantParams.js';
import { outputTypeProblem, weightTypeProblem } from './support.js';
import type { QOperatorRule } from './rule.js';

/** Rule for Gemm. */
export const gemmRule: QOperatorRule = {
  opTypes: ['Gemm'],
  rewrite(node, ctx) {
    const a = dequantizedInput(node, 0, ctx);
    if (a === null || typeof a === 'string') return a;
    // B is 2-D: [K, N], or [N, K] with transB=1; its output channels (N) lie on the contract's channel axis.
    const weight = resolveWeight(node, 2)!;
    const b = requireDequantized(node, weight.input, ctx);
    if (typeof b === 'string') return b;
    const transA = attrInt(node, 'transA', 0);
    const transB = attrInt(node, 'transB', 0);
    const alpha = attrFloat(node, 'alpha', 1);
    const beta = attrFloat(node, 'beta', 1);
    const y = ctx.quantizedOutput(node);
    if (typeof y === 'string') return y;
    const bt = ctx.constant(b.value);
    const nAxis = weight.channelAxis!;
    if (!isPerTensor(b.params) && (bt?.dims.length !== 2 || (b.params.axis !== nAxis && b.params.axis !== nAxis - 2))) {
      return `weight of '${node.name}' is quantized along axis ${b.params.axis}; QGemm takes per-column scales (axis ${nAxis})`;
    }
    const why = activationProblem(a.params, `first input of '${node.name}'`) ?? (y ? activationProblem(y.params, `output of '${node.name}'`) : undefined)
      ?? weightTypeProblem(a.params.dtype, b.params.dtype) ?? (y ? outputTypeProblem(a.params.dtype, y.params.dtype) : undefined);
    if (why) return why;
    const inputs = [
      a.value, a.params.scale, ctx.zeroPointInput(a.params),
      b.value, b.params.scale, ctx.zeroPointInput(b.params),
    ];
    const c = biasName(node);
    if (c) {
      if (alpha !== 1 || beta !== 1) return `Gemm '${node.name}' with a bias has alpha ${alpha}, beta ${beta}; QGemm's int32 bias needs both 1`;
      if (!bt) return `Gemm '${node.name}' has a bias but non-constant weights`;
      const bias = int32Bias(c, a.params.scales[0]!, b.params.scales, bt.dims[nAxis]!, ctx);
      if (typeof bias === 'string') return bias;
      inputs.push(bias.value);
    } else if (y) {
      inputs.push('');
    }
    if (y) inputs.push(y.params.scale, ctx.zeroPointInput(y.params));
    const attributes: Attribute[] = [
      { name: 'alpha', value: { kind: 'float', value: alpha } },
      { name: 'transA', value: { kind: 'int', value: transA } },
      { name: 'transB', value: { kind: 'int', value: transB } },
    ];
    ctx.useContribDomain();
    const outputs = [y ? y.value : node.outputs[0]!];
    return { node: { name: node.name, opType: 'QGemm', domain: 'com.microsoft', inputs, outputs, attributes }, drop: y ? [y.node, ...y.fused] : [] };
  },
};
