import { describe, expect, it } from 'vitest';
import { TinyGraph, annotateTiny, floatReason, isQuantizedNode, roleOf } from '../../test-support/tinyGraph.js';
import { PASSTHROUGH_OPS } from './passthrough.js';

describe('passthrough handler (layout ops share their input parameters)', () => {
  it.each(PASSTHROUGH_OPS)('%s after a quantized Conv: output shares the Conv output, extra inputs stay float', (op) => {
    const g = new TinyGraph();
    const c = g.conv('conv', g.input('x', [1, 4, 2, 2]), 'c');
    g.node('op', op, [c, 'shape_like'], ['y']);
    const ann = annotateTiny(g.graph);
    expect(isQuantizedNode(ann, 'op')).toBe(true);
    expect(roleOf(ann, 'y')).toBe('shared:c');
    expect(roleOf(ann, 'shape_like')).toBe('none');
  });

  it('a Reshape after an op without a rule stays float and says its input is not quantized', () => {
    const g = new TinyGraph();
    const f = g.floatOp('cos', g.input('x', [1, 4]), 'f');
    g.node('reshape', 'Reshape', [f, 'shape'], ['y']);
    const ann = annotateTiny(g.graph);
    expect(isQuantizedNode(ann, 'reshape')).toBe(false);
    expect(floatReason(ann, 'reshape')).toBe("input 'f' is not quantized");
    expect(roleOf(ann, 'y')).toBe('none');
  });

  it('a chain Conv → Reshape → Transpose shares the Conv output parameters transitively', () => {
    const g = new TinyGraph();
    const c = g.conv('conv', g.input('x', [1, 4, 2, 2]), 'c');
    g.node('reshape', 'Reshape', [c, 'shape'], ['r']);
    g.node('transpose', 'Transpose', ['r'], ['t']);
    const ann = annotateTiny(g.graph);
    expect(roleOf(ann, 'r')).toBe('shared:c');
    expect(roleOf(ann, 't')).toBe('shared:r');
  });
});

describe('passthrough handler on integer tensors', () => {
  it('a Slice of an int64 shape names the dtype as the reason it stays float', () => {
    const g = new TinyGraph();
    g.node('slice', 'Slice', [g.input('shape', [4], 'int64'), 'starts', 'ends'], ['y']);
    expect(floatReason(annotateTiny(g.graph), 'slice')).toBe("input 'shape' is int64, not float32");
  });
});
