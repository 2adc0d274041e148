import { describe, expect, it } from 'vitest';
import { Tensor } from '../ir/tensor.js';
import { model } from '../shape/test-support/build.js';
import { cloneModel } from './clone.js';

describe('cloneModel', () => {
  it('copies graph structure so edits to the copy leave the original as it was', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 2]]],
      initializers: { w: Tensor.zeros('float32', [2]) },
      nodes: [['Add', ['x', 'w'], ['y']]],
      outputs: ['y'],
    });
    const c = cloneModel(m);
    c.graph.nodes[0]!.inputs[1] = 'z';
    c.graph.nodes.push({ ...c.graph.nodes[0]!, name: 'extra' });
    c.graph.initializers.delete('w');
    c.graph.valueInfo.set('y', { name: 'y' });
    (c.graph.inputs[0]!.type as { shape: unknown[] }).shape[0] = 5;
    c.opsetImports.set('', 9);
    expect(m.graph.nodes).toHaveLength(1);
    expect(m.graph.nodes[0]!.inputs).toEqual(['x', 'w']);
    expect(m.graph.initializers.has('w')).toBe(true);
    expect(m.graph.valueInfo.size).toBe(0);
    expect(m.graph.inputs[0]!.type).toEqual({ kind: 'tensor', dtype: 'float32', shape: ['N', 2] });
    expect(m.opsetImports.get('')).toBe(17);
    expect(c.graph.initializers.size).toBe(0);
  });
});
