import { describe, expect, it } from 'vitest';
import { TinyGraph, annotateTiny, floatReason, roleOf } from '../../test-support/tinyGraph.js';

describe('matmul handler', () => {
  it.each([[1, 'weight:axis0'], [0, 'weight:axis1']] as const)('Gemm transB=%i: weight per output channel (%s) and an int32 bias tied to input and weight', (transB, role) => {
    const g = new TinyGraph();
    g.floats('w', transB ? [3, 4] : [4, 3], [0.2, -0.1]);
    g.floats('b', [3], [0.01]);
    g.node('gemm', 'Gemm', [g.input('x', [2, 4]), 'w', 'b'], ['y'], { transB: { kind: 'int', value: transB } });
    const ann = annotateTiny(g.graph);
    expect(roleOf(ann, 'w')).toBe(role);
    expect(ann.tensors.get('b')).toEqual({ kind: 'bias', input: 'x', weight: 'w', axis: 0 });
    expect(roleOf(ann, 'y')).toBe('activation');
  });

  it('MatMul of two activations (attention scores) quantizes both inputs', () => {
    const g = new TinyGraph();
    g.node('mm', 'MatMul', [g.input('q', [2, 4, 8]), g.input('k', [2, 8, 4])], ['s']);
    const ann = annotateTiny(g.graph);
    expect([roleOf(ann, 'q'), roleOf(ann, 'k'), roleOf(ann, 's')]).toEqual(['activation', 'activation', 'activation']);
  });

  it('MatMul with a constant first input makes it a per-tensor weight, not an activation', () => {
    const g = new TinyGraph();
    g.floats('a', [3, 4], [0.3]);
    g.node('mm', 'MatMul', ['a', g.input('x', [4, 2])], ['y']);
    const ann = annotateTiny(g.graph);
    expect(roleOf(ann, 'a')).toBe('weight');
    expect(roleOf(ann, 'x')).toBe('activation');
  });

  it('Gemm with transA=1 or alpha≠1 stays float with the reason', () => {
    const g = new TinyGraph();
    g.floats('w', [4, 3]);
    g.node('gemmT', 'Gemm', [g.input('x', [4, 2]), 'w'], ['y'], { transA: { kind: 'int', value: 1 } });
    g.node('gemmA', 'Gemm', [g.input('x2', [2, 4]), 'w'], ['y2'], { alpha: { kind: 'float', value: 0.5 } });
    const ann = annotateTiny(g.graph);
    expect(floatReason(ann, 'gemmT')).toBe('transA=1');
    expect(floatReason(ann, 'gemmA')).toBe('alpha/beta other than 1');
  });

  it('MatMul of an int32 input stays float', () => {
    const g = new TinyGraph();
    g.node('mm', 'MatMul', [g.input('a', [2, 2], 'int32'), g.input('b', [2, 2], 'int32')], ['y']);
    expect(floatReason(annotateTiny(g.graph), 'mm')).toBe("input 'a' is int32, not float32");
  });
});
