import { Tensor, type AttributeValue } from '@qtk/core';
import { describe, expect, it } from 'vitest';
import { TinyGraph, annotateTiny, floatReason, roleOf } from '../../test-support/tinyGraph.js';

/** Conv → Pad with the given extra inputs and attributes; returns the annotation. */
function padAfterConv(extraInputs: (g: TinyGraph) => string[], attrs: Record<string, AttributeValue> = {}) {
  const g = new TinyGraph();
  const c = g.conv('conv', g.input('x', [1, 4, 2, 2]), 'c');
  g.init('pads', Tensor.int64([0, 0, 1, 1, 0, 0, 1, 1]));
  g.node('pad', 'Pad', [c, 'pads', ...extraInputs(g)], ['y'], attrs);
  return annotateTiny(g.graph);
}

describe('pad handler', () => {
  it('constant mode without a value (zero) shares the input parameters', () => {
    expect(roleOf(padAfterConv(() => []), 'y')).toBe('shared:c');
  });

  it('constant mode with an explicit 0 value shares the input parameters', () => {
    expect(roleOf(padAfterConv((g) => [g.floats('v', [], [0])]), 'y')).toBe('shared:c');
  });

  it('a non-zero pad value gives the output its own range, since it may lie outside the input range', () => {
    const ann = padAfterConv((g) => [g.floats('v', [], [5])]);
    expect(roleOf(ann, 'y')).toBe('activation');
    expect(roleOf(ann, 'v')).toBe('none');
  });

  it('a pad value computed at run time gives the output its own range', () => {
    expect(roleOf(padAfterConv((g) => [g.input('v', [])]), 'y')).toBe('activation');
  });

  it.each(['reflect', 'edge', 'wrap'])('%s mode copies input values and shares the input parameters', (mode) => {
    expect(roleOf(padAfterConv(() => [], { mode: { kind: 'string', value: mode } }), 'y')).toBe('shared:c');
  });

  it('a non-finite pad value is refused with a reason', () => {
    const ann = padAfterConv((g) => [g.floats('v', [], [-Infinity])]);
    expect(floatReason(ann, 'pad')).toBe('pad value -Infinity cannot be quantized');
    expect(roleOf(ann, 'y')).toBe('none');
  });

  it('Pad of a float input stays float', () => {
    const g = new TinyGraph();
    g.node('pad', 'Pad', [g.input('x', [1, 4]), 'pads'], ['y']);
    expect(floatReason(annotateTiny(g.graph), 'pad')).toBe("input 'x' is not quantized");
  });
});
