import { describe, expect, it } from 'vitest';
import { createGraph, createModel } from '../ir/graph.js';
import { sampleIndices, withSampleOutputs } from './sampleOutputs.js';

function model() {
  const g = createGraph();
  g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [1, 4, 8] } });
  g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: [1, 4, 8] } });
  g.nodes.push({ name: 'relu', opType: 'Relu', domain: '', inputs: ['x'], outputs: ['a'], attributes: [] });
  g.nodes.push({ name: 'neg', opType: 'Neg', domain: '', inputs: ['a'], outputs: ['y'], attributes: [] });
  return createModel(g, 9);
}

describe('withSampleOutputs', () => {
  it('sampleIndices lists 0, stride, 2 * stride, ... below count', () => {
    expect(sampleIndices({ count: 32, stride: 5 })).toEqual([0, 5, 10, 15, 20, 25, 30]);
    expect(sampleIndices({ count: 30, stride: 5 })).toEqual([0, 5, 10, 15, 20, 25]);
  });

  it('adds Flatten(axis 0) and Gather(axis 1) per value and outputs the sample, leaving the input model unchanged', () => {
    const m = model();
    const r = withSampleOutputs(m, new Map([['a', { count: 32, stride: 5 }], ['y', { count: 32, stride: 5 }]]));
    expect(m.graph.nodes.map((n) => n.opType)).toEqual(['Relu', 'Neg']);
    expect(m.graph.outputs.map((o) => o.name)).toEqual(['y']);
    expect(r.model.graph.nodes.map((n) => n.opType)).toEqual(['Relu', 'Neg', 'Flatten', 'Gather', 'Flatten', 'Gather']);
    const gathers = r.model.graph.nodes.filter((n) => n.opType === 'Gather');
    // Both values share one indices initializer, since their requests are equal.
    expect(new Set(gathers.map((n) => n.inputs[1])).size).toBe(1);
    const indices = r.model.graph.initializers.get(gathers[0]!.inputs[1]!)!;
    expect([...(indices.data as BigInt64Array)].map(Number)).toEqual([0, 5, 10, 15, 20, 25, 30]);
    expect(r.model.graph.outputs.map((o) => o.name)).toEqual(['y', r.names.get('a'), r.names.get('y')]);
    expect(r.model.opsetImports).toEqual(m.opsetImports);
  });

  it('returns the model itself when nothing is requested', () => {
    const m = model();
    expect(withSampleOutputs(m, new Map()).model).toBe(m);
  });
});
