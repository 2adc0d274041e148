import { describe, expect, it } from 'vitest';
import { TinyGraph, annotateTrt, floatReason, roleOf } from '../../test-support/tinyGraph.js';

describe('TensorRT residual Add handler', () => {
  it('quantizes a skip branch that is a graph input, and not the Conv side', () => {
    const g = new TinyGraph();
    const x = g.input('x', [1, 16, 4, 4]);
    g.floats('w', [16, 16, 1, 1], [0.1, -0.2]);
    g.node('c', 'Conv', [x, 'w'], ['c_out']);
    g.node('add', 'Add', ['c_out', x], ['y']);
    const ann = annotateTrt(g.graph);
    expect([roleOf(ann, 'x'), roleOf(ann, 'c_out')]).toEqual(['activation', 'none']);
  });

  it('keeps an Add float when both inputs come from one Conv (its output read twice)', () => {
    const g = new TinyGraph();
    g.floats('w', [16, 16, 1, 1], [0.1]);
    g.node('c', 'Conv', [g.input('x', [1, 16, 4, 4]), 'w'], ['c_out']);
    g.node('sig', 'Sigmoid', ['c_out'], ['s']);
    g.node('add', 'Add', ['c_out', 's'], ['y']);
    expect(floatReason(annotateTrt(g.graph), 'add')).toMatch(/no Conv before this Add/);
  });

  it('keeps an Add of two non-Conv branches float, and an Add of a constant float as a bias', () => {
    const g = new TinyGraph();
    const x = g.input('x', [1, 16, 4, 4]);
    g.node('a', 'Sigmoid', [x], ['sa']);
    g.node('b', 'Tanh', [x], ['sb']);
    g.node('add', 'Add', ['sa', 'sb'], ['y']);
    g.node('bias', 'Add', ['y', g.floats('k', [16, 1, 1])], ['z']);
    const ann = annotateTrt(g.graph);
    expect(floatReason(ann, 'add')).toMatch(/no Conv before this Add/);
    expect(floatReason(ann, 'bias')).toMatch(/Add of a constant/);
  });
});
