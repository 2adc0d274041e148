import { describe, expect, it } from 'vitest';
import { TinyGraph, annotateTiny, floatReason, isQuantizedNode, roleOf } from '../../test-support/tinyGraph.js';

describe('pool handlers', () => {
  it('AveragePool and GlobalAveragePool quantize input and give the output its own range', () => {
    const g = new TinyGraph();
    const c = g.conv('conv', g.input('x', [1, 4, 4, 4]), 'c');
    g.node('avg', 'AveragePool', [c], ['a'], { kernel_shape: { kind: 'ints', value: [2, 2] } });
    g.node('gap', 'GlobalAveragePool', ['a'], ['p']);
    const ann = annotateTiny(g.graph);
    expect(roleOf(ann, 'a')).toBe('activation');
    expect(roleOf(ann, 'p')).toBe('activation');
    expect(isQuantizedNode(ann, 'gap')).toBe(true);
  });

  it('MaxPool and GlobalMaxPool share the input parameters', () => {
    const g = new TinyGraph();
    const c = g.conv('conv', g.input('x', [1, 4, 4, 4]), 'c');
    g.node('max', 'MaxPool', [c], ['m'], { kernel_shape: { kind: 'ints', value: [2, 2] } });
    g.node('gmax', 'GlobalMaxPool', ['m'], ['p']);
    const ann = annotateTiny(g.graph);
    expect(roleOf(ann, 'm')).toBe('shared:c');
    expect(roleOf(ann, 'p')).toBe('shared:m');
  });

  it('MaxPool with an indices output and MaxPool of a float input stay float with reasons', () => {
    const g = new TinyGraph();
    const c = g.conv('conv', g.input('x', [1, 4, 4, 4]), 'c');
    g.node('maxIdx', 'MaxPool', [c], ['m', 'idx']);
    g.floatOp('cos', c, 'f');
    g.node('maxFloat', 'MaxPool', ['f'], ['m2']);
    const ann = annotateTiny(g.graph);
    expect(floatReason(ann, 'maxIdx')).toBe('MaxPool with an indices output');
    expect(floatReason(ann, 'maxFloat')).toBe("input 'f' is not quantized");
    expect(roleOf(ann, 'm')).toBe('none');
  });
});
