/** The traits and weight rules NNCF's configuration gives ONNX ops, device by device. */
import { describe, expect, it } from 'vitest';
import { createGraph, Tensor, type Graph, type Node } from '@qtk/core';
import { HARDWARE_CONFIGS } from './hwOps.js';
import { hwOpOf } from './onnxOps.js';
import { hasQuantizedWeights, quantizationTrait } from './traits.js';

function graphWith(weights: Record<string, number[]>): Graph {
  const g = createGraph();
  for (const [name, dims] of Object.entries(weights)) g.initializers.set(name, new Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)), dims));
  return g;
}
const node = (opType: string, inputs: string[] = ['x'], group?: number): Node => ({
  name: opType, opType, domain: '', inputs, outputs: ['y'],
  attributes: group ? [{ name: 'group', value: { kind: 'int', value: group } }] : [],
});

describe('hardware configuration traits', () => {
  const g = graphWith({ w: [8, 4, 3, 3], dw: [8, 1, 3, 3], table: [100, 16] });
  const cpu = HARDWARE_CONFIGS.CPU;

  it('inputs-quantizable: Conv, MatMul, Gemm, Add, Mul, GlobalAveragePool, Resize (8-bit activation spaces)', () => {
    for (const t of ['Conv', 'MatMul', 'Gemm', 'Add', 'Mul', 'GlobalAveragePool', 'Resize', 'ReduceMean']) expect([t, quantizationTrait(node(t), g, cpu)]).toEqual([t, 'inputs-quantizable']);
  });

  it('agnostic: MaxPool, Reshape, Flatten, Transpose, Slice and a Gather of activations; Concat keeps its own trait', () => {
    for (const t of ['MaxPool', 'Reshape', 'Flatten', 'Transpose', 'Slice', 'Gather']) expect([t, quantizationTrait(node(t), g, cpu)]).toEqual([t, 'agnostic']);
    expect(quantizationTrait(node('Concat'), g, cpu)).toBe('concat');
  });

  it('float: Relu, Softmax, LayerNormalization, Erf and an embedding Gather (its table is a weight instead)', () => {
    for (const t of ['Relu', 'Softmax', 'LayerNormalization', 'Erf']) expect([t, quantizationTrait(node(t), g, cpu)]).toEqual([t, 'non-quantizable']);
    const embedding = node('Gather', ['table', 'ids']);
    expect(quantizationTrait(embedding, g, cpu)).toBe('non-quantizable');
    expect(hasQuantizedWeights(embedding, g, cpu)).toBe(true);
  });

  it('a depthwise Conv (group = input channels) maps to DEPTHWISE_CONVOLUTION; a plain one to CONVOLUTION', () => {
    expect(hwOpOf(node('Conv', ['x', 'dw'], 8), g)).toBe('DEPTHWISE_CONVOLUTION');
    expect(hwOpOf(node('Conv', ['x', 'w']), g)).toBe('CONVOLUTION');
    expect(hasQuantizedWeights(node('Conv', ['x', 'dw'], 8), g, cpu)).toBe(true);
  });

  it('GPU and NPU quantize the activations of the same operations as CPU at 8 bits; NPU adds EMBEDDING_BAG weights', () => {
    expect([...HARDWARE_CONFIGS.GPU.activations].sort()).toEqual([...cpu.activations].sort());
    expect([...HARDWARE_CONFIGS.NPU.activations].sort()).toEqual([...cpu.activations].sort());
    expect(HARDWARE_CONFIGS.NPU.weights.has('EMBEDDING_BAG')).toBe(true);
    expect(cpu.weights.has('EMBEDDING_BAG')).toBe(false);
    expect(HARDWARE_CONFIGS.ANY).toEqual({ ...cpu, device: 'ANY' });
  });
});
