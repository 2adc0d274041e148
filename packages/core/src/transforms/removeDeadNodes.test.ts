import { describe, expect, it } from 'vitest';
import { Tensor } from '../ir/tensor.js';
import { model } from '../shape/test-support/build.js';
import { removeDeadNodes } from './removeDeadNodes.js';
import { removeUnusedInitializers } from './removeUnusedInitializers.js';

describe('removeDeadNodes and removeUnusedInitializers', () => {
  it('removes chains that reach no graph output, with their value infos', () => {
    const m = model({
      inputs: [['x', 'float32', [2]]],
      initializers: { w: Tensor.zeros('float32', [2]), unused: Tensor.zeros('float32', [2]) },
      nodes: [['Shape', ['x'], ['s']], ['Cast', ['s'], ['sf'], { to: { kind: 'int', value: 1 } }], ['Add', ['x', 'w'], ['y']], ['Mul', ['x', 'w'], ['dead']]],
      outputs: ['y'],
    });
    m.graph.valueInfo.set('s', { name: 's' });
    expect(removeDeadNodes(m)).toBe(3);
    expect(m.graph.nodes.map((n) => n.opType)).toEqual(['Add']);
    expect(m.graph.valueInfo.has('s')).toBe(false);
    expect(removeUnusedInitializers(m)).toBe(1);
    expect([...m.graph.initializers.keys()]).toEqual(['w']);
  });

  it('keeps initializers that are graph inputs (defaults) or graph outputs', () => {
    const m = model({
      inputs: [['x', 'float32', [2]], ['d', 'float32', [2]]],
      initializers: { d: Tensor.zeros('float32', [2]), o: Tensor.zeros('float32', [2]) },
      nodes: [['Relu', ['x'], ['y']]],
      outputs: ['y', 'o'],
    });
    expect(removeUnusedInitializers(m)).toBe(0);
    expect([...m.graph.initializers.keys()].sort()).toEqual(['d', 'o']);
  });
});
