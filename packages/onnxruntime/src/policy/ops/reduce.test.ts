import { describe, expect, it } from 'vitest';
import { TinyGraph, annotateTiny, floatReason, isQuantizedNode, roleOf } from '../../test-support/tinyGraph.js';

describe('selection handlers (ReduceMax/ReduceMin/TopK/ArgMax/ArgMin)', () => {
  it.each(['ReduceMax', 'ReduceMin'])('%s output shares the input parameters', (op) => {
    const g = new TinyGraph();
    const c = g.conv('conv', g.input('x', [1, 4, 2, 2]), 'c');
    g.node('r', op, [c], ['y'], { axes: { kind: 'ints', value: [1] } });
    expect(roleOf(annotateTiny(g.graph), 'y')).toBe('shared:c');
  });

  it('TopK shares the values output and leaves the int64 indices alone', () => {
    const g = new TinyGraph();
    const c = g.conv('conv', g.input('x', [1, 4, 2, 2]), 'c');
    g.node('topk', 'TopK', [c, 'k'], ['values', 'indices']);
    const ann = annotateTiny(g.graph);
    expect(roleOf(ann, 'values')).toBe('shared:c');
    expect(roleOf(ann, 'indices')).toBe('none');
    expect(roleOf(ann, 'k')).toBe('none');
  });

  it('ArgMax after a quantized op runs quantized and marks nothing on its int64 output', () => {
    const g = new TinyGraph();
    const c = g.conv('conv', g.input('x', [1, 4, 2, 2]), 'c');
    g.node('argmax', 'ArgMax', [c], ['i'], { axis: { kind: 'int', value: 1 } });
    const ann = annotateTiny(g.graph);
    expect(isQuantizedNode(ann, 'argmax')).toBe(true);
    expect(roleOf(ann, 'c')).toBe('activation');
    expect(roleOf(ann, 'i')).toBe('none');
  });

  it('ArgMax of a float input stays float: quantizing only for it could merge near-ties', () => {
    const g = new TinyGraph();
    g.node('argmax', 'ArgMax', [g.input('x', [1, 4])], ['i']);
    const ann = annotateTiny(g.graph);
    expect(floatReason(ann, 'argmax')).toBe("input 'x' is not quantized");
    expect(roleOf(ann, 'x')).toBe('none');
  });
});
