import { Tensor } from '@qtk/core';
import { describe, expect, it } from 'vitest';
import { TinyGraph, annotateTiny, floatReason, isQuantizedNode, roleOf } from '../../test-support/tinyGraph.js';

describe('concat handler', () => {
  it('quantizes every input and gives the output its own range (never shared with one input)', () => {
    const g = new TinyGraph();
    const x = g.input('x', [1, 4, 2, 2]);
    g.conv('conv1', x, 'a');
    g.floatOp('cos', x, 'b');
    g.node('concat', 'Concat', ['a', 'b'], ['y'], { axis: { kind: 'int', value: 1 } });
    const ann = annotateTiny(g.graph);
    expect(isQuantizedNode(ann, 'concat')).toBe(true);
    expect(roleOf(ann, 'a')).toBe('activation');
    expect(roleOf(ann, 'b')).toBe('activation');
    expect(roleOf(ann, 'y')).toBe('activation');
  });

  it('a constant input becomes a per-tensor weight', () => {
    const g = new TinyGraph();
    g.conv('conv', g.input('x', [1, 4, 2, 2]), 'a');
    g.floats('k', [1, 4, 2, 2], [1, 2]);
    g.node('concat', 'Concat', ['a', 'k'], ['y'], { axis: { kind: 'int', value: 1 } });
    expect(roleOf(annotateTiny(g.graph), 'k')).toBe('weight');
  });

  it('a Concat of int64 shape pieces stays float with the dtype as reason', () => {
    const g = new TinyGraph();
    g.init('s1', Tensor.int64([1]));
    g.init('s2', Tensor.int64([-1]));
    g.node('concat', 'Concat', ['s1', 's2'], ['shape'], { axis: { kind: 'int', value: 0 } });
    const ann = annotateTiny(g.graph);
    expect(floatReason(ann, 'concat')).toBe("input 's1' is int64, not float32");
    expect(roleOf(ann, 'shape')).toBe('none');
  });
});

describe('concat handler with a shared constant', () => {
  it('a constant a Conv already quantized per channel keeps its per-channel form when Concat reads it too', () => {
    const g = new TinyGraph();
    g.floats('w', [4, 4, 1, 1], [0.5, -0.25]);
    g.node('conv', 'Conv', [g.input('x', [1, 4, 2, 2]), 'w'], ['c']);
    g.node('concat', 'Concat', ['c', 'w'], ['y'], { axis: { kind: 'int', value: 0 } });
    expect(roleOf(annotateTiny(g.graph), 'w')).toBe('weight:axis0');
  });
});
