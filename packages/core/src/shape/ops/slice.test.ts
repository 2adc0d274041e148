import { describe, expect, it } from 'vitest';
import { Tensor } from '../../ir/tensor.js';
import { inferShapes } from '../infer.js';
import { attr, model, shapeOf } from '../test-support/build.js';

// Tensor.int64 goes through Number, which cannot hold INT64_MAX exactly; build it from a bigint.
const int64Max = () => new Tensor('int64', BigInt64Array.of(2n ** 63n - 1n), [1]);

describe('indexing shape rules', () => {
  it('slices with opset 1 attributes', () => {
    const m = model({
      opset: 9,
      inputs: [['x', 'float32', ['N', 10, 6]]],
      nodes: [['Slice', ['x'], ['y'], { starts: attr.is([2, 1]), ends: attr.is([-1, 100]), axes: attr.is([1, 2]) }]],
      outputs: ['y'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'y')).toEqual(['N', 7, 5]);
  });

  it('slices with opset 10+ inputs, clamping INT64_MAX ends and handling negative steps', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 10, 'W']]],
      initializers: {
        s: Tensor.int64([-3]), e: int64Max(), a: Tensor.int64([1]),
        s2: Tensor.int64([8]), e2: Tensor.int64([1]), st2: Tensor.int64([-3]),
        s3: Tensor.int64([2]), e3: int64Max(), a3: Tensor.int64([2]),
      },
      nodes: [
        ['Slice', ['x', 's', 'e', 'a'], ['tail']],
        ['Slice', ['x', 's2', 'e2', 'a', 'st2'], ['back']],
        ['Slice', ['x', 's3', 'e3', 'a3'], ['sym']],
      ],
      outputs: ['tail', 'back', 'sym'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'tail')).toEqual(['N', 3, 'W']);
    expect(shapeOf(m, 'back')).toEqual(['N', 3, 'W']);
    expect(shapeOf(m, 'sym')).toEqual(['N', 10, 'W-2']);
  });

  it('gathers with scalar and 2-D indices', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 7, 5]]],
      initializers: { i0: Tensor.int64([1], []), i2: Tensor.int64([0, 1, 2, 3, 4, 5], [2, 3]) },
      nodes: [['Gather', ['x', 'i0'], ['a'], { axis: attr.i(1) }], ['Gather', ['x', 'i2'], ['b'], { axis: attr.i(-1) }]],
      outputs: ['a', 'b'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'a')).toEqual(['N', 5]);
    expect(shapeOf(m, 'b')).toEqual(['N', 7, 2, 3]);
  });

  it('adds Concat dims along the axis, symbols included', () => {
    const m = model({
      inputs: [['a', 'float32', ['N', 3, 'H']], ['b', 'float32', ['N', 5, 'H']], ['c', 'float32', ['N', 'K', 'H']]],
      nodes: [['Concat', ['a', 'b'], ['ab'], { axis: attr.i(1) }], ['Concat', ['a', 'c'], ['ac'], { axis: attr.i(-2) }]],
      outputs: ['ab', 'ac'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'ab')).toEqual(['N', 8, 'H']);
    expect(shapeOf(m, 'ac')).toEqual(['N', 'K+3', 'H']);
  });

  it('splits evenly, by attribute (opset 11), by input (opset 13) and by num_outputs (opset 18)', () => {
    const even = model({
      opset: 11,
      inputs: [['x', 'float32', ['N', 12]]],
      nodes: [['Split', ['x'], ['a', 'b', 'c'], { axis: attr.i(1) }], ['Split', ['x'], ['d', 'e'], { axis: attr.i(1), split: attr.is([5, 7]) }]],
      outputs: ['a', 'b', 'c', 'd', 'e'],
    });
    inferShapes(even);
    expect(['a', 'b', 'c', 'd', 'e'].map((n) => shapeOf(even, n))).toEqual([['N', 4], ['N', 4], ['N', 4], ['N', 5], ['N', 7]]);
    const input = model({
      opset: 13,
      inputs: [['x', 'float32', ['N', 12]]],
      initializers: { sp: Tensor.int64([2, 10]) },
      nodes: [['Split', ['x', 'sp'], ['a', 'b'], { axis: attr.i(-1) }]],
      outputs: ['a', 'b'],
    });
    inferShapes(input);
    expect([shapeOf(input, 'a'), shapeOf(input, 'b')]).toEqual([['N', 2], ['N', 10]]);
    const uneven = model({
      opset: 18,
      inputs: [['x', 'float32', [10, 'N']]],
      nodes: [['Split', ['x'], ['a', 'b', 'c'], { num_outputs: attr.i(3) }]],
      outputs: ['a', 'b', 'c'],
    });
    inferShapes(uneven);
    expect(['a', 'b', 'c'].map((n) => shapeOf(uneven, n))).toEqual([[4, 'N'], [4, 'N'], [2, 'N']]);
  });
});
