import { describe, expect, it } from 'vitest';
import { onnxCode } from '../../ir/dtype.js';
import { Tensor } from '../../ir/tensor.js';
import { inferShapes } from '../infer.js';
import { attr, model, shapeOf, typeOf } from '../test-support/build.js';

describe('elementwise shape rules', () => {
  it('broadcasts binary ops numpy-style with symbolic dims', () => {
    const m = model({
      inputs: [['a', 'float32', ['N', 3, 1]], ['b', 'float32', [4]], ['c', 'float32', [1, 'T', 4]]],
      nodes: [['Add', ['a', 'b'], ['ab']], ['Mul', ['ab', 'c'], ['abc']], ['Pow', ['a', 'b'], ['p']]],
      outputs: ['abc', 'p'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'ab')).toEqual(['N', 3, 4]);
    expect(shapeOf(m, 'abc')).toEqual(['N', 3, 4]);
    expect(shapeOf(m, 'p')).toEqual(['N', 3, 4]);
  });

  it('gives null where two different symbols meet and keeps equal symbols', () => {
    const m = model({
      inputs: [['a', 'float32', ['A', 5]], ['b', 'float32', ['B', 5]], ['c', 'float32', ['A', 1]]],
      nodes: [['Sub', ['a', 'b'], ['ab']], ['Div', ['a', 'c'], ['ac']]],
      outputs: ['ab', 'ac'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'ab')).toEqual([null, 5]);
    expect(shapeOf(m, 'ac')).toEqual(['A', 5]);
  });

  it('keeps shape and dtype through unary activations', () => {
    const ops = ['Relu', 'Sigmoid', 'Tanh', 'HardSigmoid', 'HardSwish', 'LeakyRelu', 'Erf', 'Sqrt', 'Exp', 'Log', 'Abs', 'Neg', 'Clip'];
    const m = model({
      inputs: [['x', 'float32', ['N', 16, 'H', 'W']]],
      nodes: ops.map((op, i) => [op, ['x'], [`y${i}`]]),
      outputs: ops.map((_, i) => `y${i}`),
    });
    const r = inferShapes(m);
    for (let i = 0; i < ops.length; i++) expect(typeOf(m, `y${i}`)).toEqual({ kind: 'tensor', dtype: 'float32', shape: ['N', 16, 'H', 'W'] });
    expect(r.inferred).toBe(ops.length);
  });

  it('types comparisons and Not as bool, Where by its branches, Cast by "to"', () => {
    const m = model({
      inputs: [['a', 'float32', ['N', 4]], ['b', 'float32', [4]], ['y', 'int64', [1]]],
      nodes: [
        ['Equal', ['a', 'b'], ['eq']],
        ['Greater', ['a', 'b'], ['gt']],
        ['Less', ['a', 'b'], ['lt']],
        ['Not', ['eq'], ['ne']],
        ['Cast', ['a'], ['ai'], { to: attr.i(onnxCode('int64')) }],
        ['Where', ['gt', 'ai', 'y'], ['w']],
      ],
      outputs: ['ne', 'lt', 'w'],
    });
    inferShapes(m);
    expect(typeOf(m, 'eq')).toEqual({ kind: 'tensor', dtype: 'bool', shape: ['N', 4] });
    expect(typeOf(m, 'ne')?.dtype).toBe('bool');
    expect(typeOf(m, 'lt')?.dtype).toBe('bool');
    expect(typeOf(m, 'ai')).toEqual({ kind: 'tensor', dtype: 'int64', shape: ['N', 4] });
    expect(typeOf(m, 'w')).toEqual({ kind: 'tensor', dtype: 'int64', shape: ['N', 4] });
  });

  it('gives Dropout a same-shaped bool mask and Identity its input type', () => {
    const m = model({
      inputs: [['x', 'float16', ['N', 8]]],
      nodes: [['Dropout', ['x'], ['d', 'mask']], ['Identity', ['d'], ['i']]],
      outputs: ['i', 'mask'],
    });
    inferShapes(m);
    expect(typeOf(m, 'mask')).toEqual({ kind: 'tensor', dtype: 'bool', shape: ['N', 8] });
    expect(typeOf(m, 'i')).toEqual({ kind: 'tensor', dtype: 'float16', shape: ['N', 8] });
  });

  it('reports shapes that cannot broadcast and keeps the dtype', () => {
    const m = model({
      inputs: [['a', 'float32', [3]], ['b', 'float32', [4]]],
      nodes: [['Add', ['a', 'b'], ['c']], ['Relu', ['c'], ['d']]],
      outputs: ['d'],
    });
    const r = inferShapes(m);
    expect(r.unknown[0]).toMatchObject({ node: 'Add_0', opType: 'Add' });
    expect(r.unknown[0]!.reason).toContain('do not broadcast');
    expect(r.unknown.map((u) => u.node)).toEqual(['Add_0', 'Relu_1']);
  });

  it('tracks integer values through Add/Mul/Div on shape arithmetic', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 6, 4]]],
      initializers: { two: Tensor.int64([2]) },
      nodes: [
        ['Shape', ['x'], ['s']],
        ['Mul', ['s', 'two'], ['s2']],
        ['Div', ['s2', 'two'], ['s3']],
        ['Reshape', ['x', 's3'], ['y']],
      ],
      outputs: ['y'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'y')).toEqual(['N', 6, 4]);
  });
});
