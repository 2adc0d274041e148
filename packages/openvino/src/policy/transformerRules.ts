/**
 * What NNCF's ONNX backend leaves float for `model_type=TRANSFORMER`: the op types of
 * `get_ignored_metatypes` (normalization arithmetic, reductions, comparisons; Mul too on
 * every device but CPU_SPR, which qtk does not offer) and the multi-head attention output
 * pattern (Softmax, optionally through a Reshape, into a MatMul whose other input comes from
 * a Reshape, Transpose, Split, Gather, Squeeze or Concat).
 */
import type { Node } from '@qtk/core';
import type { FlowGraph } from './flowGraph.js';

/** Op types NNCF keeps float in transformer models. */
export const TRANSFORMER_FLOAT_OPS: ReadonlySet<string> = new Set([
  'Add', 'Sum', 'Pow', 'Squeeze', 'Sub', 'AveragePool', 'GlobalAveragePool', 'ReduceMean', 'ReduceL2', 'ReduceSum', 'Div',
  'Max', 'Sqrt', 'Reciprocal', 'BatchNormalization', 'Greater', 'Less', 'Equal', 'Mul',
]);

/** Producers of the MatMul's other input in the attention output pattern. */
const ATTENTION_BRANCH = new Set(['Reshape', 'Transpose', 'Split', 'Gather', 'Squeeze', 'Concat']);

/** The nodes NNCF leaves float in a transformer model, each with the reason. */
export function transformerFloatNodes(flow: FlowGraph): Map<Node, string> {
  const out = new Map<Node, string>();
  for (const n of flow.nodes) {
    if (n.domain === '' && TRANSFORMER_FLOAT_OPS.has(n.opType)) out.set(n, `${n.opType} stays float in transformer models (NNCF's ignored metatypes)`);
  }
  for (const softmax of flow.nodes.filter((n) => n.opType === 'Softmax')) {
    const out0 = softmax.outputs[0]!;
    for (const next of flow.consumers(out0)) {
      const reshape = next.opType === 'Reshape' ? next : undefined;
      const matmuls = reshape ? flow.consumers(reshape.outputs[0]!) : [next];
      for (const mm of matmuls) {
        if (mm.opType !== 'MatMul' && mm.opType !== 'Gemm') continue;
        const branch = flow.liveInputs(mm).map(([, v]) => flow.producer(v)).find((p) => p && p !== (reshape ?? softmax) && ATTENTION_BRANCH.has(p.opType));
        if (!branch) continue;
        const why = 'multi-head attention output (NNCF ignored pattern for transformers)';
        for (const n of [softmax, ...(reshape ? [reshape] : []), mm, branch]) out.set(n, why);
      }
    }
  }
  return out;
}
