import { Tensor } from '@qtk/core';
import { describe, expect, it } from 'vitest';
import { TinyGraph, annotateTiny, floatReason, roleOf } from '../../test-support/tinyGraph.js';

describe('cumsum handler', () => {
  it('CumSum after a quantized Conv gets its own output range (sums leave the input range); the axis stays int', () => {
    const g = new TinyGraph();
    const c = g.conv('conv', g.input('x', [1, 4, 2, 2]), 'c');
    g.init('axis', Tensor.int64([1], []));
    g.node('cumsum', 'CumSum', [c, 'axis'], ['y']);
    const ann = annotateTiny(g.graph);
    expect(roleOf(ann, 'y')).toBe('activation');
    expect(roleOf(ann, 'axis')).toBe('none');
  });

  it('CumSum of a float graph input stays float', () => {
    const g = new TinyGraph();
    g.node('cumsum', 'CumSum', [g.input('x', [4]), 'axis'], ['y']);
    expect(floatReason(annotateTiny(g.graph), 'cumsum')).toBe("input 'x' is not quantized");
  });
});
