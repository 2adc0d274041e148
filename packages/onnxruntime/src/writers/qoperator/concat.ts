/**
 * Concat → com.microsoft QLinearConcat, which requantizes each input to the output's
 * parameters; when every input already has them, a plain Concat on the integers.
 */
import type { Dequantized } from './context.js';
import { activationProblem, dequantizedInput, requireQuantizedOutput } from './operands.js';
import { isPerTensor, sameQuantParams } from './quantParams.js';
import type { QOperatorRule } from './rule.js';

/** Rule for Concat. */
export const concatRule: QOperatorRule = {
  opTypes: ['Concat'],
  rewrite(node, ctx) {
    const parts: Dequantized[] = [];
    let anyQuantized = false;
    let problem: string | undefined;
    for (let k = 0; k < node.inputs.length; k++) {
      const d = dequantizedInput(node, k, ctx);
      if (d !== null) anyQuantized = true;
      if (d === null) problem ??= `input ${k} ('${node.inputs[k]}') of '${node.name}' is float, not dequantized`;
      else if (typeof d === 'string') problem ??= d;
      else parts.push(d);
    }
    if (!anyQuantized) return null;
    if (problem) return problem;
    const y = requireQuantizedOutput(node, ctx);
    if (typeof y === 'string') return y;
    const drop = [y.node, ...y.fused];
    if (isPerTensor(y.params) && parts.every((p) => sameQuantParams(p.params, y.params))) {
      return { node: { ...node, inputs: parts.map((p) => p.value), outputs: [y.value] }, drop };
    }
    const why = activationProblem(y.params, `output of '${node.name}'`)
      ?? parts.map((p, k) => activationProblem(p.params, `input ${k} of '${node.name}'`) ?? (p.params.dtype === y.params.dtype ? undefined : `input ${k} of '${node.name}' is ${p.params.dtype}, the output ${y.params.dtype}`)).find((w) => w);
    if (why) return why;
    ctx.useContribDomain();
    const inputs = [y.params.scale, ctx.zeroPointInput(y.params)];
    for (const p of parts) inputs.push(p.value, p.params.scale, ctx.zeroPointInput(p.params));
    return { node: { name: node.name, opType: 'QLinearConcat', domain: 'com.microsoft', inputs, outputs: [y.value], attributes: node.attributes }, drop };
  },
};
