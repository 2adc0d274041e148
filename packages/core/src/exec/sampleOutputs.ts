/**
 * Fixed strided samples of values computed inside the model, so that a runtime returns
 * a few thousand elements of a value instead of all of it. Unlike the phase-shifted
 * samples of `withReductionOutputs` (calibration, opset 10 and up), these read the same
 * element positions on every run and use only Flatten and Gather, which every opset
 * has: two models sampled with the same request give comparable samples of values of
 * the same shape, which is what a comparison of a float and a quantized model needs.
 */
import type { Model, Node } from '../ir/graph.js';
import { uniqueName, usedNames } from '../ir/graphIndex.js';
import { Tensor } from '../ir/tensor.js';

/** Which elements of a value to sample: `stride` apart from element 0, of `count` in all. */
export interface SampleRequest {
  /** Elements of the value (the product of its dims). */
  count: number;
  /** Distance between sampled elements (an integer ≥ 1). */
  stride: number;
}

/** Indices `0, stride, 2 * stride, ...` below `count`. */
export function sampleIndices(r: SampleRequest): number[] {
  return Array.from({ length: Math.ceil(r.count / r.stride) }, (_, i) => i * r.stride);
}

/**
 * A shallow copy of `model` whose main graph also outputs, for each requested value
 * `v`, the elements of `v` flattened at the request's indices (shape [1, k]), and the
 * name of each value's sample output. Node and initializer objects are shared.
 * Example: a [1, 4, 8] value with `{ count: 32, stride: 5 }` gives its elements
 * 0, 5, 10, ..., 30 (7 of them).
 */
export function withSampleOutputs(model: Model, requests: ReadonlyMap<string, SampleRequest>): { model: Model; names: Map<string, string> } {
  const g = model.graph;
  const taken = usedNames(g);
  const initializers = new Map(g.initializers);
  const indexTensors = new Map<string, string>();
  const nodes: Node[] = [];
  const names = new Map<string, string>();
  const axis = (value: number): Node['attributes'] => [{ name: 'axis', value: { kind: 'int', value } }];
  for (const [v, r] of requests) {
    const key = `${r.count}_${r.stride}`;
    let indices = indexTensors.get(key);
    if (!indices) {
      indices = uniqueName(g, `qtk_sample_indices_${key}`, taken);
      initializers.set(indices, Tensor.int64(sampleIndices(r)));
      indexTensors.set(key, indices);
    }
    const flat = uniqueName(g, `${v}_qtk_flat`, taken);
    const sample = uniqueName(g, `${v}_qtk_sample`, taken);
    nodes.push(
      { name: uniqueName(g, `${flat}_node`, taken), opType: 'Flatten', domain: '', inputs: [v], outputs: [flat], attributes: axis(0) },
      { name: uniqueName(g, `${sample}_node`, taken), opType: 'Gather', domain: '', inputs: [flat, indices], outputs: [sample], attributes: axis(1) },
    );
    names.set(v, sample);
  }
  if (!nodes.length) return { model, names };
  const outputs = [...g.outputs, ...[...names.values()].map((name) => ({ name }))];
  return { model: { ...model, graph: { ...g, nodes: [...g.nodes, ...nodes], initializers, outputs } }, names };
}
