/**
 * Ops that only move or select values (Reshape, Transpose, Flatten, Squeeze, Unsqueeze,
 * MaxPool, nearest Resize, Slice, Gather, Split, Pad): when their input and every read
 * output are quantized with the same per-tensor parameters, they run unchanged on the
 * integer tensor.
 * Pad's fill value is quantized with those parameters.
 */
import { attrString, type Node, intRange, type DType, Tensor, roundHalfToEven } from '@qtk/core';
import type { RewriteContext } from './context.js';
import { dequantizedInput, requireQuantizedOutput } from './operands.js';
import { isPerTensor, sameQuantParams, type QuantParams } from './quantParams.js';
import type { QOperatorRule } from './rule.js';

/** Ops onnxruntime runs on any integer type. */
const ANY_TYPE_OPS = ['Reshape', 'Transpose', 'Flatten', 'Squeeze', 'Unsqueeze', 'Slice', 'Gather', 'Split'];
/** Ops whose onnxruntime CPU kernels take uint8 and int8 only (plus float). */
const BYTE_TYPE_OPS = ['MaxPool', 'Resize', 'Pad'];

/** Op types the passthrough rule handles. */
export const PASSTHROUGH_QOPERATOR_OPS: readonly string[] = [...ANY_TYPE_OPS, ...BYTE_TYPE_OPS];

/** Why `node` cannot run on integers of `dtype` in onnxruntime; undefined when it can. */
function kernelProblem(node: Node, dtype: DType, ctx: RewriteContext): string | undefined {
  if (BYTE_TYPE_OPS.includes(node.opType) && dtype !== 'uint8' && dtype !== 'int8') return `onnxruntime's ${node.opType} takes uint8/int8, not ${dtype}`;
  if (node.opType === 'MaxPool') {
    if (ctx.opset < 12) return `MaxPool takes 8-bit integers from opset 12 (model has ${ctx.opset})`;
    if (node.outputs[1]) return `MaxPool '${node.name}' also writes indices`;
  }
  if (node.opType === 'Resize' && attrString(node, 'mode', 'nearest') !== 'nearest') return `Resize '${node.name}' interpolates (mode '${attrString(node, 'mode', 'nearest')}')`;
  if (node.opType === 'Pad' && ctx.opset < 11) return `Pad takes integers from opset 11 (model has ${ctx.opset})`;
  return undefined;
}

/** Pad's fill value quantized with `p`: a new constant, or a reason. */
function quantizedPadValue(node: Node, p: QuantParams, ctx: RewriteContext): string | { value: string } {
  const mode = attrString(node, 'mode', 'constant');
  const name = node.inputs[2];
  if (mode !== 'constant') return { value: name ?? '' };
  let v = 0;
  if (name) {
    const t = ctx.constant(name);
    if (!t || t.size !== 1) return `fill value of Pad '${node.name}' is not a constant scalar`;
    v = t.get(0);
  }
  const [lo, hi] = intRange(p.dtype);
  const q = Math.max(lo, Math.min(hi, roundHalfToEven(v / p.scales[0]!) + p.zeroPoints[0]!));
  return { value: ctx.editor.constant(`${node.name}_pad_value_quantized`, Tensor.scalar(p.dtype, q)) };
}

/** Rule for value-moving ops. */
export const passthroughRule: QOperatorRule = {
  opTypes: PASSTHROUGH_QOPERATOR_OPS,
  rewrite(node, ctx) {
    const x = dequantizedInput(node, 0, ctx);
    if (x === null || typeof x === 'string') return x;
    // Per-axis parameters would need their axis followed through the move.
    if (!isPerTensor(x.params)) return `input of '${node.name}' is quantized per axis`;
    const outputs: string[] = [];
    const drop: Node[] = [];
    for (let i = 0; i < node.outputs.length; i++) {
      const o = node.outputs[i];
      if (o && node.opType === 'MaxPool' && i > 0) return `MaxPool '${node.name}' also writes indices`;
      if (!o || (!ctx.index.consumers(o).length && !ctx.index.isGraphOutput(o))) { outputs.push(o ?? ''); continue; }
      const y = requireQuantizedOutput(node, ctx, i);
      if (typeof y === 'string') return y;
      if (!sameQuantParams(x.params, y.params)) return `output '${node.outputs[i]}' of '${node.name}' is quantized unlike its input`;
      outputs.push(y.value);
      drop.push(y.node, ...y.fused);
    }
    const why = kernelProblem(node, x.params.dtype, ctx);
    if (why) return why;
    const inputs = [x.value, ...node.inputs.slice(1)];
    if (node.opType === 'Pad') {
      const pv = quantizedPadValue(node, x.params, ctx);
      if (typeof pv === 'string') return pv;
      inputs[2] = pv.value;
      while (inputs.length > 1 && inputs[inputs.length - 1] === '') inputs.pop();
    }
    return { node: { ...node, inputs, outputs }, drop };
  },
};
