/**
 * A backend written as a third party would write one, against `@qtk/core` only: it
 * quantizes the inputs of Conv and MatMul (activations and constant weights, weights per
 * output channel), symmetric int8 with zero point 0, and nothing else: no outputs, no
 * biases. Its `validate` checks that the result holds to that.
 */
import { PLUGIN_API_VERSION, attrInt, policyFromHandlers, type BackendPlugin, type BackendProblem, type Model, type OpHandler } from '@qtk/core';

/** Conv (weight channels on axis 0, one group only) and MatMul (a constant B per column). */
const inputsOnly: OpHandler = {
  opTypes: ['Conv', 'MatMul'],
  annotate(node, ctx) {
    const [a, b] = node.inputs;
    if (!a || !b) return 'missing input';
    for (const v of [a, b]) if (ctx.dtypeOf(v) !== undefined && ctx.dtypeOf(v) !== 'float32') return `input '${v}' is not float32`;
    if (node.opType === 'Conv' && attrInt(node, 'group', 1) !== 1) return 'grouped Conv';
    ctx.markActivation(a);
    if (!ctx.isConstant(b)) ctx.markActivation(b);
    else ctx.markWeight(b, node.opType === 'Conv' ? 0 : (ctx.rankOf(b) ?? 2) - 1);
  },
};

/** Q/DQ nodes whose zero point is not int8 0, and DQ outputs read by anything but Conv and MatMul. */
function problems(model: Model): BackendProblem[] {
  const g = model.graph;
  const out: BackendProblem[] = [];
  for (const n of g.nodes) {
    if (n.opType !== 'QuantizeLinear' && n.opType !== 'DequantizeLinear') continue;
    const zp = n.inputs[2] ? g.initializers.get(n.inputs[2]) : undefined;
    if (!zp || zp.dtype !== 'int8' || zp.toNumbers().some((z) => z !== 0)) out.push({ node: n.name, message: `${n.name} is not symmetric int8` });
    if (n.opType !== 'DequantizeLinear') continue;
    const readers = g.nodes.filter((r) => r.inputs.includes(n.outputs[0]!));
    if (readers.some((r) => r.opType !== 'Conv' && r.opType !== 'MatMul') || g.outputs.some((o) => o.name === n.outputs[0])) {
      out.push({ node: n.name, tensor: n.outputs[0]!, message: `${n.outputs[0]} is read by something other than Conv or MatMul` });
    }
  }
  return out;
}

/** The plugin object, as a package would default-export it. */
const convMatmulInputsBackend: BackendPlugin = {
  name: 'conv-matmul-inputs',
  kind: 'backend',
  apiVersion: PLUGIN_API_VERSION,
  description: 'Conv and MatMul inputs only, symmetric int8, outputs and biases float',
  policy: policyFromHandlers([inputsOnly]),
  defaults: { activationType: 'int8', symmetricActivations: true, weightType: 'int8', symmetricWeights: true, perChannel: true },
  validate: problems,
};

export default convMatmulInputsBackend;
