import { describe, expect, it } from 'vitest';
import { Tensor } from '../../ir/tensor.js';
import { inferShapes } from '../infer.js';
import { attr, model, shapeOf } from '../test-support/build.js';

describe('layout shape rules', () => {
  it('resolves Reshape 0 and -1 against a constant shape with a symbolic batch', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 64, 1, 1]], ['z', 'float32', [2, 3, 4]]],
      initializers: { s: Tensor.int64([0, -1]), t: Tensor.int64([4, -1, 2]) },
      nodes: [['Reshape', ['x', 's'], ['y']], ['Reshape', ['z', 't'], ['w']]],
      outputs: ['y', 'w'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'y')).toEqual(['N', 64]);
    expect(shapeOf(m, 'w')).toEqual([4, 3, 2]);
  });

  it('divides symbolic products for -1 and round-trips through a Shape-built target', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 'T', 64]]],
      initializers: { s: Tensor.int64([-1, 64]), i01: Tensor.int64([0, 1]), c64: Tensor.int64([64]) },
      nodes: [
        ['Reshape', ['x', 's'], ['flat']],
        ['Shape', ['x'], ['shp']],
        ['Gather', ['shp', 'i01'], ['nt']],
        ['Concat', ['nt', 'c64'], ['back'], { axis: attr.i(0) }],
        ['Reshape', ['flat', 'back'], ['y']],
      ],
      outputs: ['y'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'flat')).toEqual(['N*T', 64]);
    expect(shapeOf(m, 'y')).toEqual(['N', 'T', 64]);
  });

  it('gives a Reshape with an unknown target the target length as rank', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 12]], ['s', 'int64', [3]]],
      nodes: [['Reshape', ['x', 's'], ['y']]],
      outputs: ['y'],
    });
    const r = inferShapes(m);
    expect(shapeOf(m, 'y')).toEqual([null, null, null]);
    expect(r.unknown).toEqual([]);
  });

  it('flattens around the axis', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 4, 3, 2]]],
      nodes: [['Flatten', ['x'], ['a']], ['Flatten', ['x'], ['b'], { axis: attr.i(2) }], ['Flatten', ['x'], ['c'], { axis: attr.i(0) }]],
      outputs: ['a', 'b', 'c'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'a')).toEqual(['N', 24]);
    expect(shapeOf(m, 'b')).toEqual(['4*N', 6]);
    expect(shapeOf(m, 'c')).toEqual([1, '24*N']);
  });

  it('reads Squeeze/Unsqueeze axes from the attribute before opset 13', () => {
    const m = model({
      opset: 11,
      inputs: [['x', 'float32', ['N', 1, 5, 1]]],
      nodes: [['Squeeze', ['x'], ['s'], { axes: attr.is([1, -1]) }], ['Unsqueeze', ['s'], ['u'], { axes: attr.is([0, 3]) }], ['Squeeze', ['u'], ['all']]],
      outputs: ['u', 'all'],
    });
    const r = inferShapes(m);
    expect(shapeOf(m, 's')).toEqual(['N', 5]);
    expect(shapeOf(m, 'u')).toEqual([1, 'N', 5, 1]);
    // Squeeze without axes over a symbolic dim cannot decide which dims are 1.
    expect(r.unknown.map((u) => u.node)).toEqual(['Squeeze_2']);
  });

  it('reads Squeeze/Unsqueeze axes from the input from opset 13', () => {
    const m = model({
      opset: 13,
      inputs: [['x', 'float32', [2, 1, 5]]],
      initializers: { a1: Tensor.int64([1]), a2: Tensor.int64([-1, 0]) },
      nodes: [['Squeeze', ['x', 'a1'], ['s']], ['Unsqueeze', ['s', 'a2'], ['u']], ['Squeeze', ['u'], ['all']]],
      outputs: ['u', 'all'],
    });
    inferShapes(m);
    expect(shapeOf(m, 's')).toEqual([2, 5]);
    expect(shapeOf(m, 'u')).toEqual([1, 2, 5, 1]);
    expect(shapeOf(m, 'all')).toEqual([2, 5]);
  });

  it('permutes with Transpose (reversed by default) and broadcasts with Expand and Tile', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 3, 8]]],
      initializers: { e: Tensor.int64([2, 1, 3, 1]), r: Tensor.int64([1, 2, 3]) },
      nodes: [
        ['Transpose', ['x'], ['t'], { perm: attr.is([0, 2, 1]) }],
        ['Transpose', ['x'], ['rev']],
        ['Expand', ['x', 'e'], ['ex']],
        ['Tile', ['x', 'r'], ['ti']],
      ],
      outputs: ['t', 'rev', 'ex', 'ti'],
    });
    inferShapes(m);
    expect(shapeOf(m, 't')).toEqual(['N', 8, 3]);
    expect(shapeOf(m, 'rev')).toEqual([8, 3, 'N']);
    expect(shapeOf(m, 'ex')).toEqual([2, 'N', 3, 8]);
    expect(shapeOf(m, 'ti')).toEqual(['N', 6, 24]);
  });
});
