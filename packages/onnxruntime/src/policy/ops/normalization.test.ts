import { describe, expect, it } from 'vitest';
import { TinyGraph, annotateTiny, floatReason, roleOf } from '../../test-support/tinyGraph.js';

describe('normalization handler', () => {
  it.each(['LayerNormalization', 'InstanceNormalization', 'BatchNormalization'])('%s quantizes input and output; scale and bias stay float', (op) => {
    const g = new TinyGraph();
    const c = g.conv('conv', g.input('x', [1, 4, 2, 2]), 'c');
    const params = op === 'BatchNormalization' ? ['gamma', 'beta', 'mean', 'var'] : ['gamma', 'beta'];
    for (const p of params) g.floats(p, [4], [1]);
    g.node('norm', op, [c, ...params], ['y']);
    g.node('after', 'Cos', ['y'], ['z']);
    const ann = annotateTiny(g.graph);
    expect(roleOf(ann, 'c')).toBe('activation');
    expect(roleOf(ann, 'y')).toBe('activation');
    for (const p of params) expect(roleOf(ann, p)).toBe('none');
  });

  it('a Relu after the normalization folds into its output range', () => {
    const g = new TinyGraph();
    const c = g.conv('conv', g.input('x', [1, 4, 2, 2]), 'c');
    g.floats('gamma', [4], [1]);
    g.node('norm', 'InstanceNormalization', [c, 'gamma', 'gamma'], ['n']);
    g.node('relu', 'Relu', ['n'], ['r']);
    const ann = annotateTiny(g.graph);
    expect([...ann.fused].map((n) => n.name)).toEqual(['relu']);
    expect(roleOf(ann, 'r')).toBe('activation');
    expect(roleOf(ann, 'n')).toBe('none');
  });

  it('LayerNormalization of an unquantized input stays float (onnxruntime has no integer kernel)', () => {
    const g = new TinyGraph();
    g.floatOp('cos', g.input('x', [2, 4]), 'f');
    g.floats('gamma', [4], [1]);
    g.node('ln', 'LayerNormalization', ['f', 'gamma'], ['y']);
    expect(floatReason(annotateTiny(g.graph), 'ln')).toBe("input 'f' is not quantized");
  });

  it('BatchNormalization in training mode stays float', () => {
    const g = new TinyGraph();
    const c = g.conv('conv', g.input('x', [1, 4, 2, 2]), 'c');
    for (const p of ['gamma', 'beta', 'mean', 'var']) g.floats(p, [4], [1]);
    g.node('bn', 'BatchNormalization', [c, 'gamma', 'beta', 'mean', 'var'], ['y', 'rm', 'rv']);
    expect(floatReason(annotateTiny(g.graph), 'bn')).toBe('BatchNormalization in training mode (running statistics outputs)');
  });
});
