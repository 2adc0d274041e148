import { describe, expect, it } from 'vitest';
import { Tensor } from '../../ir/tensor.js';
import { inferShapes } from '../infer.js';
import { attr, model, shapeOf, typeOf } from '../test-support/build.js';

describe('generator shape rules', () => {
  it('gives Shape an int64 [rank] type, honouring start and end', () => {
    const m = model({
      opset: 15,
      inputs: [['x', 'float32', ['N', 3, 8, 8]]],
      nodes: [['Shape', ['x'], ['s']], ['Shape', ['x'], ['t'], { start: attr.i(1), end: attr.i(-1) }], ['Size', ['x'], ['n']]],
      outputs: ['s', 't', 'n'],
    });
    inferShapes(m);
    expect(typeOf(m, 's')).toEqual({ kind: 'tensor', dtype: 'int64', shape: [4] });
    expect(shapeOf(m, 't')).toEqual([2]);
    expect(typeOf(m, 'n')).toEqual({ kind: 'tensor', dtype: 'int64', shape: [] });
  });

  it('types Constant from its attribute and ConstantOfShape from its value and target', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 5]]],
      nodes: [
        ['Constant', [], ['c'], { value_ints: attr.is([2, 3, 4]) }],
        ['Constant', [], ['f'], { value: attr.t(Tensor.zeros('float16', [2, 2])) }],
        ['ConstantOfShape', ['c'], ['z'], { value: attr.t(Tensor.scalar('int32', 7)) }],
        ['Shape', ['x'], ['sx']],
        ['ConstantOfShape', ['sx'], ['zx']],
      ],
      outputs: ['f', 'z', 'zx'],
    });
    inferShapes(m);
    expect(typeOf(m, 'c')).toEqual({ kind: 'tensor', dtype: 'int64', shape: [3] });
    expect(typeOf(m, 'f')).toEqual({ kind: 'tensor', dtype: 'float16', shape: [2, 2] });
    expect(typeOf(m, 'z')).toEqual({ kind: 'tensor', dtype: 'int32', shape: [2, 3, 4] });
    expect(typeOf(m, 'zx')).toEqual({ kind: 'tensor', dtype: 'float32', shape: ['N', 5] });
  });

  it('computes Range length from constant operands and from a symbolic limit', () => {
    const m = model({
      inputs: [['x', 'float32', ['T', 4]]],
      initializers: { s: Tensor.scalar('int64', 1), l: Tensor.scalar('int64', 10), d: Tensor.scalar('int64', 3), z: Tensor.scalar('int64', 0), one: Tensor.scalar('int64', 1), i0: Tensor.scalar('int64', 0) },
      nodes: [
        ['Range', ['s', 'l', 'd'], ['r']],
        ['Shape', ['x'], ['sx']],
        ['Gather', ['sx', 'i0'], ['t']],
        ['Range', ['z', 't', 'one'], ['rt']],
      ],
      outputs: ['r', 'rt'],
    });
    inferShapes(m);
    expect(typeOf(m, 'r')).toEqual({ kind: 'tensor', dtype: 'int64', shape: [3] });
    expect(shapeOf(m, 'rt')).toEqual(['T']);
  });
});
