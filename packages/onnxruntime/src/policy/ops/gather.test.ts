import { Tensor } from '@qtk/core';
import { describe, expect, it } from 'vitest';
import { TinyGraph, annotateTiny, floatReason, roleOf } from '../../test-support/tinyGraph.js';

describe('gather handler', () => {
  it.each(['Gather', 'GatherElements', 'GatherND'])('%s of a quantized activation shares its parameters; indices stay int', (op) => {
    const g = new TinyGraph();
    const c = g.conv('conv', g.input('x', [1, 4, 2, 2]), 'c');
    g.init('idx', Tensor.int64([0, 1], [2]));
    g.node('gather', op, [c, 'idx'], ['y']);
    const ann = annotateTiny(g.graph);
    expect(roleOf(ann, 'y')).toBe('shared:c');
    expect(roleOf(ann, 'idx')).toBe('none');
  });

  it('an embedding table read only by Gather becomes a per-tensor weight and the output shares it', () => {
    const g = new TinyGraph();
    g.floats('table', [10, 4], [0.1, -0.3, 0.7]);
    g.node('embed', 'Gather', ['table', g.input('ids', [1, 3], 'int64')], ['e']);
    const ann = annotateTiny(g.graph);
    expect(roleOf(ann, 'table')).toBe('weight');
    expect(roleOf(ann, 'e')).toBe('shared:table');
    expect(roleOf(ann, 'ids')).toBe('none');
  });

  it('a table also read by another node (tied embeddings) stays float with a reason', () => {
    const g = new TinyGraph();
    g.floats('table', [10, 4]);
    g.node('embed', 'Gather', ['table', g.input('ids', [1, 3], 'int64')], ['e']);
    g.node('transpose', 'Transpose', ['table'], ['tt']);
    const ann = annotateTiny(g.graph);
    expect(floatReason(ann, 'embed')).toBe("constant data 'table' is also read by 1 other node(s)");
    expect(roleOf(ann, 'table')).toBe('none');
  });

  it('Gather of an int64 shape constant stays float', () => {
    const g = new TinyGraph();
    g.init('dims', Tensor.int64([1, 4, 2, 2], [4]));
    g.init('i0', Tensor.int64([0], []));
    g.node('gather', 'Gather', ['dims', 'i0'], ['n']);
    const ann = annotateTiny(g.graph);
    expect(floatReason(ann, 'gather')).toBe("input 'dims' is int64, not float32");
  });

  it('Gather of a float activation from an op without a rule stays float', () => {
    const g = new TinyGraph();
    g.floatOp('cos', g.input('x', [4, 4]), 'f');
    g.init('idx', Tensor.int64([0], [1]));
    g.node('gather', 'Gather', ['f', 'idx'], ['y']);
    expect(floatReason(annotateTiny(g.graph), 'gather')).toBe("input 'f' is not quantized");
  });
});
