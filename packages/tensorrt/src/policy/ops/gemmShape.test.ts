import { describe, expect, it } from 'vitest';
import { GraphIndex, Tensor, createGraph, type Graph } from '@qtk/core';
import { smallGemmReason } from './gemmShape.js';

/** x [batch, 512] → Gemm (W [1000, 512], transB 1) → y [batch, 1000]: a classifier head. */
function head(batch: number | string): Graph {
  const g = createGraph();
  g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [batch, 512] } });
  g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: [batch, 1000] } });
  g.initializers.set('w', new Tensor('float32', new Float32Array(1000 * 512), [1000, 512]));
  g.nodes.push({ name: 'fc', opType: 'Gemm', domain: '', inputs: ['x', 'w'], outputs: ['y'], attributes: [{ name: 'transB', value: { kind: 'int', value: 1 } }] });
  return g;
}

describe('smallGemmReason: GEMVs and small GEMMs stay float', () => {
  it('a classifier head with a symbolic batch is a GEMV at batch 1, as an engine for one image runs it', () => {
    const g = head('N');
    expect(smallGemmReason(new GraphIndex(g), g.nodes[0]!)).toMatch(/GEMV \(output \[\?, 1000\], batch 1\)/);
  });

  it('the same head at a static batch of 1 is a GEMV, at a static batch of 8 a GEMM that TensorRT runs in INT8', () => {
    const one = head(1), eight = head(8);
    expect(smallGemmReason(new GraphIndex(one), one.nodes[0]!)).toMatch(/GEMV \(output \[1, 1000\]\)/);
    expect(smallGemmReason(new GraphIndex(eight), eight.nodes[0]!)).toBeUndefined();
  });
});
