import { describe, expect, it } from 'vitest';
import { Tensor } from '../../ir/tensor.js';
import { inferShapes } from '../infer.js';
import { attr, model, shapeOf, typeOf } from '../test-support/build.js';

describe('reduction shape rules', () => {
  it('reduces attribute axes with and without keepdims', () => {
    const m = model({
      opset: 13,
      inputs: [['x', 'float32', ['N', 'T', 64]]],
      nodes: [
        ['ReduceMean', ['x'], ['k'], { axes: attr.is([-1]) }],
        ['ReduceMax', ['x'], ['d'], { axes: attr.is([1]), keepdims: attr.i(0) }],
        ['ReduceMin', ['x'], ['all'], { keepdims: attr.i(0) }],
      ],
      outputs: ['k', 'd', 'all'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'k')).toEqual(['N', 'T', 1]);
    expect(shapeOf(m, 'd')).toEqual(['N', 64]);
    expect(shapeOf(m, 'all')).toEqual([]);
  });

  it('reads axes from the input for ReduceSum at opset 13 and the others at opset 18', () => {
    const m = model({
      opset: 18,
      inputs: [['x', 'float32', ['N', 4, 6]]],
      initializers: { ax: Tensor.int64([1, 2]) },
      nodes: [
        ['ReduceSum', ['x', 'ax'], ['s']],
        ['ReduceMean', ['x', 'ax'], ['m'], { keepdims: attr.i(0) }],
        ['ReduceMax', ['x'], ['noop'], { noop_with_empty_axes: attr.i(1) }],
      ],
      outputs: ['s', 'm', 'noop'],
    });
    inferShapes(m);
    expect(shapeOf(m, 's')).toEqual(['N', 1, 1]);
    expect(shapeOf(m, 'm')).toEqual(['N']);
    expect(shapeOf(m, 'noop')).toEqual(['N', 4, 6]);
  });

  it('types ArgMax as int64 with the axis kept or dropped', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 10]]],
      nodes: [['ArgMax', ['x'], ['a'], { axis: attr.i(1) }], ['ArgMin', ['x'], ['b'], { axis: attr.i(1), keepdims: attr.i(0) }]],
      outputs: ['a', 'b'],
    });
    inferShapes(m);
    expect(typeOf(m, 'a')).toEqual({ kind: 'tensor', dtype: 'int64', shape: ['N', 1] });
    expect(shapeOf(m, 'b')).toEqual(['N']);
  });

  it('reports a reduction whose axes input is not constant with keepdims 0', () => {
    const m = model({
      opset: 18,
      inputs: [['x', 'float32', ['N', 4]], ['ax', 'int64', [1]]],
      nodes: [['ReduceMean', ['x', 'ax'], ['y'], { keepdims: attr.i(0) }]],
      outputs: ['y'],
    });
    const r = inferShapes(m);
    expect(r.unknown).toEqual([{ node: 'ReduceMean_0', opType: 'ReduceMean', reason: 'axes input is not constant' }]);
  });
});
