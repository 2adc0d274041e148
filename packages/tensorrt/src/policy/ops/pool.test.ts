import { describe, expect, it } from 'vitest';
import { TinyGraph, annotateTrt, floatReason, roleOf } from '../../test-support/tinyGraph.js';

describe('TensorRT pool handler', () => {
  it('keeps a pooling float when no Conv or GEMM is next to it', () => {
    const g = new TinyGraph();
    g.node('p', 'AveragePool', [g.input('x', [1, 4, 8, 8])], ['y'], { kernel_shape: { kind: 'ints', value: [2, 2] } });
    expect(floatReason(annotateTrt(g.graph), 'p')).toBe('no quantized Conv or GEMM next to this pooling');
  });

  it('quantizes a GlobalAveragePool input after Conv-Relu, and its output only through the Gemm that reads it', () => {
    const g = new TinyGraph();
    g.floats('w', [16, 16, 3, 3], [0.1, -0.2]);
    g.node('c', 'Conv', [g.input('x', [1, 16, 8, 8]), 'w'], ['c_out']);
    g.node('r', 'Relu', ['c_out'], ['r_out']);
    g.node('gap', 'GlobalAveragePool', ['r_out'], ['g_out']);
    g.node('flat', 'Flatten', ['g_out'], ['f_out']);
    g.floats('fc', [32, 16], [0.1]);
    g.node('fc', 'Gemm', ['f_out', 'fc'], ['y'], { transB: { kind: 'int', value: 1 } });
    const ann = annotateTrt(g.graph);
    expect([roleOf(ann, 'r_out'), roleOf(ann, 'g_out'), roleOf(ann, 'f_out'), roleOf(ann, 'fc')]).toEqual(['activation', 'none', 'activation', 'weight:axis0']);
  });
});
