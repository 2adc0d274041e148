import { describe, expect, it } from 'vitest';
import { TinyGraph, annotateTiny, floatReason, roleOf } from '../../test-support/tinyGraph.js';

describe('conv handler', () => {
  it.each([['Conv', 'weight:axis0'], ['ConvTranspose', 'weight:axis1']] as const)('%s: activation in and out, weights per output channel (%s), int32 bias', (op, role) => {
    const g = new TinyGraph();
    g.floats('w', [4, 4, 3, 3], [0.1, -0.2]);
    g.floats('b', [4], [0.01]);
    g.node('c', op, [g.input('x', [1, 4, 5, 5]), 'w', 'b'], ['y']);
    const ann = annotateTiny(g.graph);
    expect([roleOf(ann, 'x'), roleOf(ann, 'w'), roleOf(ann, 'b'), roleOf(ann, 'y')]).toEqual(['activation', role, 'bias', 'activation']);
  });

  it('a Conv whose weight is computed at run time stays float', () => {
    const g = new TinyGraph();
    g.node('c', 'Conv', [g.input('x', [1, 4, 5, 5]), g.input('w', [4, 4, 1, 1])], ['y']);
    expect(floatReason(annotateTiny(g.graph), 'c')).toBe('weight is not a constant');
  });
});
