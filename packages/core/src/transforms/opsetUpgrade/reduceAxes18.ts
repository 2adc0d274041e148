/**
 * The one change of opset 18 that a quantizer has to rewrite to raise a model to opset 21:
 * ReduceMax/Min/Mean/Prod/L1/L2/LogSum/LogSumExp/SumSquare took `axes` as an attribute up to
 * opset 17 and take it as an optional int64 input from 18 (ReduceSum moved at 13). Without
 * axes both forms reduce every axis (`noop_with_empty_axes` defaults to 0), so only nodes
 * with the attribute change.
 */
import { getAttr, subgraphsOf, type Graph, type Model } from '../../ir/graph.js';
import { modelNames, uniqueName } from '../../ir/graphIndex.js';
import { Tensor } from '../../ir/tensor.js';
import { setInput, takeAttr } from './context.js';

/** Reduce ops whose `axes` attribute became input 1 at opset 18. */
export const REDUCE_AXES_AT_18: readonly string[] = [
  'ReduceMax', 'ReduceMin', 'ReduceMean', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare',
];

/**
 * Moves the `axes` attribute of every default-domain Reduce op of REDUCE_AXES_AT_18, in every
 * graph (bodies included), into an int64 initializer of the node's graph read as input 1: the
 * opset-18 form with the same results. Does not touch the opset import. Returns how many nodes changed.
 * Example: `ReduceMean(x, axes=[1], keepdims=1)` becomes `ReduceMean(x, m_axes)`, `m_axes` = int64 `[1]`.
 */
export function reduceAxesToInputs(model: Model): number {
  const taken = modelNames(model.graph);
  const visit = (g: Graph): number => {
    let count = 0;
    for (const node of g.nodes) {
      for (const sg of subgraphsOf(node)) count += visit(sg);
      if ((node.domain !== '' && node.domain !== 'ai.onnx') || !REDUCE_AXES_AT_18.includes(node.opType)) continue;
      if (getAttr(node, 'axes')?.kind !== 'ints') continue;
      const axes = takeAttr(node, 'axes') as { kind: 'ints'; value: number[] };
      const name = uniqueName(g, `${node.name}_axes`, taken);
      g.initializers.set(name, Tensor.int64(axes.value));
      setInput(node, 1, name);
      count++;
    }
    return count;
  };
  return visit(model.graph);
}
