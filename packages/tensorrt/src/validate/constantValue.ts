/** The value of a tensor known before run time: an initializer or the output of a Constant node. */
import { GraphIndex, type Graph, type Tensor } from '@qtk/core';

/** The constant tensor named `value` in `graph`, or undefined when it is computed at run time. */
export function constantValue(graph: Graph, index: GraphIndex, value: string): Tensor | undefined {
  const init = graph.initializers.get(value);
  if (init) return init;
  const p = index.producer(value);
  if (p?.opType !== 'Constant' || p.domain !== '') return undefined;
  const attr = p.attributes.find((a) => a.name === 'value');
  return attr?.value.kind === 'tensor' ? attr.value.value : undefined;
}
