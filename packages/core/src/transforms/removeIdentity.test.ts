import { describe, expect, it } from 'vitest';
import { Tensor } from '../ir/tensor.js';
import { model, type NodeSpec } from '../shape/test-support/build.js';
import { removeIdentity } from './removeIdentity.js';

describe('removeIdentity', () => {
  it('rewires readers of an inner Identity to its input', () => {
    const m = model({
      inputs: [['x', 'float32', [2]]],
      nodes: [['Relu', ['x'], ['a']], ['Identity', ['a'], ['b']], ['Sigmoid', ['b'], ['c']], ['Tanh', ['b'], ['d']]],
      outputs: ['c', 'd'],
    });
    expect(removeIdentity(m)).toBe(1);
    expect(m.graph.nodes.map((n) => `${n.opType}(${n.inputs.join(',')})`)).toEqual(['Relu(x)', 'Sigmoid(a)', 'Tanh(a)']);
  });

  it('renames the producer when the Identity output is a graph output, keeping the output name', () => {
    const m = model({
      inputs: [['x', 'float32', [2]]],
      nodes: [['Relu', ['x'], ['a']], ['Identity', ['a'], ['y']], ['Neg', ['a'], ['z']]],
      outputs: ['y', 'z'],
    });
    expect(removeIdentity(m)).toBe(1);
    expect(m.graph.outputs.map((o) => o.name)).toEqual(['y', 'z']);
    expect(m.graph.nodes.map((n) => `${n.opType}(${n.inputs.join(',')})->${n.outputs.join(',')}`)).toEqual(['Relu(x)->y', 'Neg(y)->z']);
  });

  it('keeps an Identity from a graph input or initializer to a graph output, and chains collapse', () => {
    const m = model({
      inputs: [['x', 'float32', [2]]],
      initializers: { w: Tensor.zeros('float32', [2]) },
      nodes: [['Identity', ['x'], ['y']], ['Identity', ['w'], ['v']], ['Relu', ['x'], ['r']], ['Identity', ['r'], ['r1']], ['Identity', ['r1'], ['r2']]],
      outputs: ['y', 'v', 'r2'],
    });
    expect(removeIdentity(m)).toBe(2);
    expect(m.graph.nodes.map((n) => `${n.opType}(${n.inputs.join(',')})->${n.outputs.join(',')}`)).toEqual(['Identity(x)->y', 'Identity(w)->v', 'Relu(x)->r2']);
  });

  it('removes inference Dropout and keeps one whose mask is used', () => {
    const m = model({
      inputs: [['x', 'float32', [2]]],
      nodes: [['Dropout', ['x'], ['a']], ['Relu', ['a'], ['b']], ['Dropout', ['b'], ['c', 'mask']], ['Cast', ['mask'], ['mf'], { to: { kind: 'int', value: 1 } }]],
      outputs: ['c', 'mf'],
    });
    expect(removeIdentity(m)).toBe(1);
    expect(m.graph.nodes.map((n) => n.opType)).toEqual(['Relu', 'Dropout', 'Cast']);
    expect(m.graph.nodes[0]!.inputs).toEqual(['x']);
  });

  it('collapses a chain of 2,000 Identity nodes into a graph output and into an inner reader', () => {
    const chain = (from: string, prefix: string, to: string) => Array.from({ length: 2000 }, (_, i): NodeSpec =>
      ['Identity', [i === 0 ? from : `${prefix}${i - 1}`], [i === 1999 ? to : `${prefix}${i}`]]);
    const m = model({
      inputs: [['x', 'float32', [2]]],
      nodes: [['Relu', ['x'], ['a']], ...chain('a', 'p', 'y'), ['Neg', ['x'], ['b']], ...chain('b', 'q', 'r'), ['Sigmoid', ['r'], ['z']]],
      outputs: ['y', 'z'],
    });
    expect(removeIdentity(m)).toBe(4000);
    expect(m.graph.nodes.map((n) => `${n.opType}(${n.inputs.join(',')})->${n.outputs.join(',')}`)).toEqual(['Relu(x)->y', 'Neg(x)->b', 'Sigmoid(b)->z']);
  });
});
