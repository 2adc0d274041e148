/**
 * Add → com.microsoft QLinearAdd and Mul → com.microsoft QLinearMul (broadcasting,
 * per-tensor parameters, one element type for both inputs and the output). A constant
 * operand of the other 8-bit type is re-stored exactly by shifting values and zero
 * point by 128.
 */
import { Tensor, type Node, type DType } from '@qtk/core';
import type { Dequantized, RewriteContext } from './context.js';
import { activationProblem, dequantizedInput, requireDequantized, requireQuantizedOutput } from './operands.js';
import type { QOperatorRule } from './rule.js';

/** Value and zero point of operand `d` as element type `to` (constants flip between int8 and uint8 exactly). */
function operandAs(d: Dequantized, to: DType, ctx: RewriteContext, where: string): { value: string; scale: string; zeroPoint: string } | string {
  if (d.params.dtype === to) return { value: d.value, scale: d.params.scale, zeroPoint: ctx.zeroPointInput(d.params) };
  const t = ctx.constant(d.value);
  const flip = (d.params.dtype === 'int8' && to === 'uint8') || (d.params.dtype === 'uint8' && to === 'int8');
  if (!t || !flip) return `${where} is ${d.params.dtype}, the output ${to}`;
  const shift = to === 'uint8' ? 128 : -128;
  const out = Tensor.zeros(to, t.dims);
  for (let i = 0; i < t.size; i++) out.set(i, t.get(i) + shift);
  const zp = Tensor.scalar(to, d.params.zeroPoints[0]! + shift);
  return { value: ctx.editor.constant(`${d.value}_${to}`, out), scale: d.params.scale, zeroPoint: ctx.editor.constant(`${d.value}_${to}_zero_point`, zp) };
}

/** A rule rewriting an elementwise op to its com.microsoft QLinear form. */
function binaryRule(opType: string, qOpType: string): QOperatorRule {
  return {
    opTypes: [opType],
    rewrite(node: Node, ctx: RewriteContext) {
      if (dequantizedInput(node, 0, ctx) === null && dequantizedInput(node, 1, ctx) === null) return null;
      const a = requireDequantized(node, 0, ctx);
      if (typeof a === 'string') return a;
      const b = requireDequantized(node, 1, ctx);
      if (typeof b === 'string') return b;
      const y = requireQuantizedOutput(node, ctx);
      if (typeof y === 'string') return y;
      const why = activationProblem(a.params, `first input of '${node.name}'`) ?? activationProblem(b.params, `second input of '${node.name}'`)
        ?? activationProblem(y.params, `output of '${node.name}'`);
      if (why) return why;
      const to = y.params.dtype;
      const pa = operandAs(a, to, ctx, `first input of '${node.name}'`);
      if (typeof pa === 'string') return pa;
      const pb = operandAs(b, to, ctx, `second input of '${node.name}'`);
      if (typeof pb === 'string') return pb;
      ctx.useContribDomain();
      const inputs = [pa.value, pa.scale, pa.zeroPoint, pb.value, pb.scale, pb.zeroPoint, y.params.scale, ctx.zeroPointInput(y.params)];
      return { node: { name: node.name, opType: qOpType, domain: 'com.microsoft', inputs, outputs: [y.value], attributes: [] }, drop: [y.node, ...y.fused] };
    },
  };
}

/** Rule for Add. */
export const addRule: QOperatorRule = binaryRule('Add', 'QLinearAdd');

/** Rule for Mul. */
export const mulRule: QOperatorRule = binaryRule('Mul', 'QLinearMul');
