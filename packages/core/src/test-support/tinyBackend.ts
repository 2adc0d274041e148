/**
 * A small backend for core's own tests (core imports no backend package): Conv, Gemm and
 * MatMul with a constant weight get activation inputs, per-channel weights, an int32 bias
 * and a quantized output; Add gets both inputs and its output. Defaults: uint8 activations.
 */
import { attrInt } from '../ir/graph.js';
import { PLUGIN_API_VERSION } from '../registry/registry.js';
import type { OpHandler } from '../annotate/annotation.js';
import type { BackendPlugin } from '../backend/backend.js';
import { policyFromHandlers } from '../backend/handlerPolicy.js';
import { markFloatInput, nonFloatReason } from '../annotate/markHelpers.js';

/** Conv, Gemm, MatMul: the weight's output-channel axis is 0 for Conv and Gemm with transB, else the last. */
const linear: OpHandler = {
  opTypes: ['Conv', 'Gemm', 'MatMul'],
  annotate(node, ctx) {
    const [x, w, b] = node.inputs;
    if (!x || !w || !ctx.isConstant(w)) return 'weight is not a constant';
    const bad = nonFloatReason(ctx, x);
    if (bad) return bad;
    const rank = ctx.rankOf(w) ?? 2;
    const axis = node.opType === 'Conv' || attrInt(node, 'transB', 0) ? 0 : rank - 1;
    ctx.markActivation(x);
    ctx.markWeight(w, axis);
    if (b && ctx.isConstant(b) && node.opType !== 'MatMul') ctx.markBias(b, x, w, 0);
    ctx.markActivation(ctx.outputAfterActivation(node));
  },
};

/** Add: both inputs and the output. */
const add: OpHandler = {
  opTypes: ['Add'],
  annotate(node, ctx) {
    for (const v of node.inputs) markFloatInput(ctx, v);
    ctx.markActivation(ctx.outputAfterActivation(node));
  },
};

/** Core's test backend. */
export const tinyBackend: BackendPlugin = {
  name: 'tiny-test',
  kind: 'backend',
  apiVersion: PLUGIN_API_VERSION,
  description: 'core test backend: Conv, Gemm, MatMul, Add',
  policy: policyFromHandlers([linear, add]),
  defaults: { activationType: 'uint8' },
};
