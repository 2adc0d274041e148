import { describe, expect, it } from 'vitest';
import { TinyGraph, annotateTiny, floatReason, isQuantizedNode, roleOf } from '../../test-support/tinyGraph.js';
import { FLOAT_KERNEL_ACTIVATIONS, INTEGER_KERNEL_ACTIVATIONS } from './activation.js';

describe('activation handler', () => {
  it.each([...INTEGER_KERNEL_ACTIVATIONS, 'HardSwish', 'HardSigmoid', 'Tanh', 'Gelu'])('%s after a quantized Conv gets its own output range', (op) => {
    const g = new TinyGraph();
    const c = g.conv('conv', g.input('x', [1, 4, 2, 2]), 'c');
    g.node('act', op, [c], ['y']);
    const ann = annotateTiny(g.graph);
    expect(isQuantizedNode(ann, 'act')).toBe(true);
    expect(roleOf(ann, 'c')).toBe('activation');
    expect(roleOf(ann, 'y')).toBe('activation');
  });

  it.each(INTEGER_KERNEL_ACTIVATIONS)('%s of a graph input quantizes that input (onnxruntime has an integer kernel)', (op) => {
    const g = new TinyGraph();
    g.node('act', op, [g.input('x', [1, 4])], ['y']);
    const ann = annotateTiny(g.graph);
    expect(roleOf(ann, 'x')).toBe('activation');
    expect(roleOf(ann, 'y')).toBe('activation');
  });

  it.each(FLOAT_KERNEL_ACTIVATIONS)('%s of an unquantized input stays float (no integer kernel to gain)', (op) => {
    const g = new TinyGraph();
    g.floatOp('cos', g.input('x', [1, 4]), 'f');
    g.node('act', op, ['f'], ['y']);
    const ann = annotateTiny(g.graph);
    expect(floatReason(ann, 'act')).toBe("input 'f' is not quantized");
    expect(roleOf(ann, 'f')).toBe('none');
  });

  it('a Relu right after a Conv folds into the Conv range; one on a shared Conv output gets its own range', () => {
    const g = new TinyGraph();
    const x = g.input('x', [1, 4, 2, 2]);
    g.conv('conv1', x, 'c1');
    g.node('relu1', 'Relu', ['c1'], ['r1']);
    g.conv('conv2', x, 'c2');
    g.node('relu2', 'Relu', ['c2'], ['r2']);
    g.node('add', 'Add', ['c2', 'r2'], ['s']);
    const ann = annotateTiny(g.graph);
    expect([...ann.fused].map((n) => n.name)).toEqual(['relu1']);
    expect(roleOf(ann, 'c1')).toBe('none');
    expect(roleOf(ann, 'r1')).toBe('activation');
    expect(ann.quantized.has(g.graph.nodes.find((n) => n.name === 'relu2')!)).toBe(true);
    expect(roleOf(ann, 'c2')).toBe('activation');
    expect(roleOf(ann, 'r2')).toBe('activation');
  });

  it('Softmax of an int input is refused with the dtype', () => {
    const g = new TinyGraph();
    g.node('act', 'Softmax', [g.input('x', [1, 4], 'int32')], ['y']);
    expect(floatReason(annotateTiny(g.graph), 'act')).toBe("input 'x' is int32, not float32");
  });
});
