import { describe, expect, it } from 'vitest';
import { createGraph, Tensor, type Graph, type Node } from '@qtk/core';
import { rewriteGraph } from './fuse.js';

/** A default-domain node with integer attributes. */
function node(opType: string, inputs: string[], outputs: string[], ints: Record<string, number> = {}): Node {
  return { name: outputs[0]!, opType, domain: '', inputs, outputs, attributes: Object.entries(ints).map(([name, value]) => ({ name, value: { kind: 'int' as const, value } })) };
}

/**
 * x_q (uint8, per tensor) → DQ → `opType` ← DQ(w_q int8 `wDims`, per axis `axis` with `scales` values)
 * [← bias float of `biasSize`] → y.
 */
function linearGraph(opType: string, wDims: number[], axis: number, attrs: Record<string, number>, biasSize?: number): Graph {
  const g = createGraph();
  g.inputs.push({ name: 'x_q', type: { kind: 'tensor', dtype: 'uint8', shape: [2, 4] } });
  g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32' } });
  const count = wDims[axis]!;
  g.initializers.set('xs', Tensor.scalar('float32', 0.1));
  g.initializers.set('xz', Tensor.scalar('uint8', 128));
  g.initializers.set('w_q', Tensor.zeros('int8', wDims));
  g.initializers.set('ws', new Tensor('float32', new Float32Array(count).fill(0.02), [count]));
  g.initializers.set('wz', Tensor.zeros('int8', [count]));
  g.nodes.push(node('DequantizeLinear', ['x_q', 'xs', 'xz'], ['x']));
  g.nodes.push(node('DequantizeLinear', ['w_q', 'ws', 'wz'], ['w'], { axis }));
  const inputs = ['x', 'w'];
  if (biasSize !== undefined) {
    g.initializers.set('b', new Tensor('float32', new Float32Array(biasSize), [biasSize]));
    inputs.push('b');
  }
  g.nodes.push(node(opType, inputs, ['y'], attrs));
  return g;
}

describe('QDQ fusion of linear ops (per-channel weight scales on the contract\'s channel axis)', () => {
  it('fuses Gemm transB=1 with scales along axis 0 of B [N, K] and a bias of N values', () => {
    const g = linearGraph('Gemm', [3, 4], 0, { transB: 1 }, 3);
    expect(rewriteGraph(g)).toBe(1);
    expect(g.nodes.map((n) => n.opType)).toEqual(['QMatMul']);
  });
  it('leaves Gemm transB=1 float when the scales run along the reduction axis', () => {
    const g = linearGraph('Gemm', [3, 4], 1, { transB: 1 });
    expect(rewriteGraph(g)).toBe(0);
    expect(g.nodes.map((n) => n.opType)).toContain('Gemm');
  });
  it('fuses Gemm transB=0 with scales along axis 1 of B [K, N] and refuses a bias of K values', () => {
    expect(rewriteGraph(linearGraph('Gemm', [4, 3], 1, {}, 3))).toBe(1);
    expect(rewriteGraph(linearGraph('Gemm', [4, 3], 1, {}, 4))).toBe(0);
  });
  it('leaves a Gemm with transA=1 float', () => {
    expect(rewriteGraph(linearGraph('Gemm', [4, 3], 1, { transA: 1 }))).toBe(0);
  });
  it('fuses MatMul with scales along the last axis of B [K, N] only', () => {
    expect(rewriteGraph(linearGraph('MatMul', [4, 3], 1, {}))).toBe(1);
    expect(rewriteGraph(linearGraph('MatMul', [4, 3], 0, {}))).toBe(0);
  });
});
