import { describe, expect, it } from 'vitest';
import { TinyGraph, annotateTiny, floatReason, isQuantizedNode, roleOf } from '../../test-support/tinyGraph.js';

describe('where handler', () => {
  it('quantizes both value inputs, leaves the condition alone, and gives the output its own range', () => {
    const g = new TinyGraph();
    const x = g.input('x', [1, 4, 2, 2]);
    const cond = g.input('cond', [1, 4, 2, 2], 'bool');
    g.conv('conv1', x, 'a');
    g.conv('conv2', x, 'b');
    g.node('where', 'Where', [cond, 'a', 'b'], ['y']);
    const ann = annotateTiny(g.graph);
    expect(isQuantizedNode(ann, 'where')).toBe(true);
    expect(roleOf(ann, 'cond')).toBe('none');
    expect(roleOf(ann, 'y')).toBe('activation');
  });

  it('a small constant value input becomes a per-tensor weight', () => {
    const g = new TinyGraph();
    g.conv('conv', g.input('x', [1, 4, 2, 2]), 'a');
    g.floats('zero', [], [0]);
    g.node('where', 'Where', [g.input('cond', [1, 4, 2, 2], 'bool'), 'a', 'zero'], ['y']);
    expect(roleOf(annotateTiny(g.graph), 'zero')).toBe('weight');
  });

  it('an attention-mask fill constant (-3.4e38) is refused, naming the constant', () => {
    const g = new TinyGraph();
    g.conv('conv', g.input('x', [1, 4, 2, 2]), 'a');
    g.floats('fill', [], [-3.4e38]);
    g.node('where', 'Where', [g.input('cond', [1, 4, 2, 2], 'bool'), 'fill', 'a'], ['y']);
    const ann = annotateTiny(g.graph);
    expect(floatReason(ann, 'where')).toBe("constant 'fill' holds -3.4e+38: a mask fill would swamp the output range");
    expect(roleOf(ann, 'y')).toBe('none');
  });

  it('a value input from an op without a rule keeps Where float, as onnxruntime does', () => {
    const g = new TinyGraph();
    const x = g.input('x', [1, 4, 2, 2]);
    g.conv('conv', x, 'a');
    g.floatOp('cos', x, 'f');
    g.node('where', 'Where', [g.input('cond', [1, 4, 2, 2], 'bool'), 'a', 'f'], ['y']);
    expect(floatReason(annotateTiny(g.graph), 'where')).toBe("input 'f' is not quantized");
  });
});
