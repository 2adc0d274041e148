/**
 * Checks shared by the rules: reading a node's dequantized inputs and quantized output
 * with the element types and layouts onnxruntime's QLinear kernels accept.
 */
import { type Node } from '@qtk/core';
import type { Dequantized, QuantizedOutput, RewriteContext } from './context.js';
import { isPerTensor, type QuantParams } from './quantParams.js';
import { activationTypeProblem, outputTypeProblem } from './support.js';
import type { RuleResult } from './rule.js';

/** Input `k` of `node` as a DequantizeLinear; null when it is no DequantizeLinear output, a reason when unusable. */
export function dequantizedInput(node: Node, k: number, ctx: RewriteContext): Dequantized | string | null {
  const v = node.inputs[k];
  if (!v) return `input ${k} of '${node.name}' is missing`;
  return ctx.dequantized(v) ?? null;
}

/** Like dequantizedInput, but a missing DequantizeLinear is a reason too (the node is already known to be quantized). */
export function requireDequantized(node: Node, k: number, ctx: RewriteContext): Dequantized | string {
  const dq = dequantizedInput(node, k, ctx);
  return dq === null ? `input ${k} ('${node.inputs[k]}') of '${node.name}' is float, not dequantized` : dq;
}

/** The output QuantizeLinear of `node`, or a reason (also when the output is read as float). */
export function requireQuantizedOutput(node: Node, ctx: RewriteContext, i = 0): QuantizedOutput | string {
  const q = ctx.quantizedOutput(node, i);
  return q ?? `output '${node.outputs[i]}' of '${node.name}' is read as float (no sole QuantizeLinear after it)`;
}

/** Why `p` (named `what`) cannot be a per-tensor QLinear activation; undefined when it can. */
export function activationProblem(p: QuantParams, what: string): string | undefined {
  if (!isPerTensor(p)) return `${what} is quantized per axis; QLinear activations need one scale`;
  return activationTypeProblem(p.dtype, what);
}

/**
 * A single-input, single-output QLinear node (x, x_scale, x_zero_point, y_scale,
 * y_zero_point) in place of `node`, or why not; null when the input is not dequantized.
 */
export function unaryQLinear(
  node: Node, ctx: RewriteContext, opType: string, domain: string, attributes: Node['attributes'],
): RuleResult {
  const x = dequantizedInput(node, 0, ctx);
  if (x === null || typeof x === 'string') return x;
  const y = requireQuantizedOutput(node, ctx);
  if (typeof y === 'string') return y;
  const why = activationProblem(x.params, `input of '${node.name}'`) ?? activationProblem(y.params, `output of '${node.name}'`)
    ?? outputTypeProblem(x.params.dtype, y.params.dtype);
  if (why) return why;
  if (domain === 'com.microsoft') ctx.useContribDomain();
  const inputs = [x.value, x.params.scale, ctx.zeroPointInput(x.params), y.params.scale, ctx.zeroPointInput(y.params)];
  return { node: { name: node.name, opType, domain, inputs, outputs: [y.value], attributes }, drop: [y.node, ...y.fused] };
}
