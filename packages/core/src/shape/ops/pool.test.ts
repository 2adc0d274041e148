import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { encodeModel } from '../../onnx/encode.js';
import { inferShapes } from '../infer.js';
import { attr, model, shapeOf, typeOf } from '../test-support/build.js';

describe('pool shape rules', () => {
  it('applies kernel, stride and ceil_mode to MaxPool and types its indices int64', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 8, 8, 8]]],
      nodes: [
        ['MaxPool', ['x'], ['floor', 'idx'], { kernel_shape: attr.is([3, 3]), strides: attr.is([2, 2]) }],
        ['MaxPool', ['x'], ['ceil'], { kernel_shape: attr.is([3, 3]), strides: attr.is([2, 2]), ceil_mode: attr.i(1) }],
      ],
      outputs: ['floor', 'idx', 'ceil'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'floor')).toEqual(['N', 8, 3, 3]);
    expect(typeOf(m, 'idx')).toEqual({ kind: 'tensor', dtype: 'int64', shape: ['N', 8, 3, 3] });
    expect(shapeOf(m, 'ceil')).toEqual(['N', 8, 4, 4]);
  });

  it('handles AveragePool auto_pad SAME_UPPER and GlobalAveragePool over symbolic spatial dims', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 4, 'H', 'W']], ['s', 'float32', [1, 4, 9, 10]]],
      nodes: [
        ['GlobalAveragePool', ['x'], ['g']],
        ['GlobalMaxPool', ['x'], ['gm']],
        ['AveragePool', ['s'], ['a'], { kernel_shape: attr.is([3, 3]), strides: attr.is([2, 2]), auto_pad: attr.s('SAME_UPPER') }],
      ],
      outputs: ['g', 'gm', 'a'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'g')).toEqual(['N', 4, 1, 1]);
    expect(shapeOf(m, 'gm')).toEqual(['N', 4, 1, 1]);
    expect(shapeOf(m, 'a')).toEqual([1, 4, 5, 5]);
  });

  // onnxruntime is the reference for ceil_mode with padding, where a last window that
  // would start in the end padding is dropped.
  const cases: Array<{ op: string; size: number; k: number; s: number; pads: number[]; ceil: number }> = [
    { op: 'MaxPool', size: 5, k: 2, s: 2, pads: [1, 1], ceil: 1 },
    { op: 'MaxPool', size: 7, k: 3, s: 2, pads: [1, 1], ceil: 1 },
    { op: 'AveragePool', size: 6, k: 3, s: 3, pads: [0, 2], ceil: 1 },
    { op: 'AveragePool', size: 10, k: 3, s: 2, pads: [1, 0], ceil: 0 },
    { op: 'MaxPool', size: 9, k: 4, s: 3, pads: [2, 2], ceil: 1 },
  ];
  it.each(cases)('matches onnxruntime for $op size $size k $k s $s pads $pads ceil $ceil', async (c) => {
    const m = model({
      inputs: [['x', 'float32', [1, 1, c.size, c.size]]],
      nodes: [[c.op, ['x'], ['y'], { kernel_shape: attr.is([c.k, c.k]), strides: attr.is([c.s, c.s]), pads: attr.is([c.pads[0]!, c.pads[0]!, c.pads[1]!, c.pads[1]!]), ceil_mode: attr.i(c.ceil) }]],
      outputs: ['y'],
    });
    const session = await ort.InferenceSession.create(encodeModel(m).model);
    const out = await session.run({ x: new ort.Tensor('float32', new Float32Array(c.size * c.size), [1, 1, c.size, c.size]) });
    inferShapes(m);
    expect(shapeOf(m, 'y')).toEqual(out.y!.dims);
  });
});
