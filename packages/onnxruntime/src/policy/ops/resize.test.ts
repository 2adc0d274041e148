import type { AttributeValue } from '@qtk/core';
import { describe, expect, it } from 'vitest';
import { TinyGraph, annotateTiny, floatReason, roleOf } from '../../test-support/tinyGraph.js';

function resizeAfterConv(attrs: Record<string, AttributeValue>) {
  const g = new TinyGraph();
  const c = g.conv('conv', g.input('x', [1, 4, 2, 2]), 'c');
  g.floats('scales', [4], [1, 1, 2, 2]);
  g.node('resize', 'Resize', [c, '', 'scales'], ['y'], attrs);
  return annotateTiny(g.graph);
}
const s = (value: string): AttributeValue => ({ kind: 'string', value });

describe('resize handler', () => {
  it('nearest (the default) shares the input parameters and leaves scales float', () => {
    const ann = resizeAfterConv({});
    expect(roleOf(ann, 'y')).toBe('shared:c');
    expect(roleOf(ann, 'scales')).toBe('none');
  });

  it('linear interpolation stays within the input range and shares the input parameters', () => {
    expect(roleOf(resizeAfterConv({ mode: s('linear') }), 'y')).toBe('shared:c');
  });

  it('cubic interpolation overshoots, so its output gets its own range', () => {
    expect(roleOf(resizeAfterConv({ mode: s('cubic') }), 'y')).toBe('activation');
  });

  it('tf_crop_and_resize with a non-zero extrapolation value gets its own range; with 0 it shares', () => {
    const crop = { mode: s('linear'), coordinate_transformation_mode: s('tf_crop_and_resize') };
    expect(roleOf(resizeAfterConv({ ...crop, extrapolation_value: { kind: 'float', value: 9 } }), 'y')).toBe('activation');
    expect(roleOf(resizeAfterConv(crop), 'y')).toBe('shared:c');
  });

  it('Resize of a float input stays float', () => {
    const g = new TinyGraph();
    g.node('resize', 'Resize', [g.input('x', [1, 4, 2, 2]), '', 'scales'], ['y']);
    expect(floatReason(annotateTiny(g.graph), 'resize')).toBe("input 'x' is not quantized");
  });
});
