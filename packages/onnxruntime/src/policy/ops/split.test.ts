import { describe, expect, it } from 'vitest';
import { TinyGraph, annotateTiny, floatReason, roleOf } from '../../test-support/tinyGraph.js';

describe('split handler', () => {
  it('every output of a three-way Split shares the input parameters', () => {
    const g = new TinyGraph();
    const c = g.conv('conv', g.input('x', [1, 4, 3, 2]), 'c');
    g.node('split', 'Split', [c], ['a', 'b', 'd'], { axis: { kind: 'int', value: 2 } });
    const ann = annotateTiny(g.graph);
    expect(['a', 'b', 'd'].map((v) => roleOf(ann, v))).toEqual(['shared:c', 'shared:c', 'shared:c']);
  });

  it('Split of a float input stays float and marks no output', () => {
    const g = new TinyGraph();
    g.node('split', 'Split', [g.input('x', [2, 4])], ['a', 'b']);
    const ann = annotateTiny(g.graph);
    expect(floatReason(ann, 'split')).toBe("input 'x' is not quantized");
    expect(roleOf(ann, 'a')).toBe('none');
  });
});
