import { describe, expect, it } from 'vitest';
import { Tensor } from '../../ir/tensor.js';
import { inferShapes } from '../infer.js';
import { attr, model, shapeOf, typeOf } from '../test-support/build.js';

const w = (dims: number[]) => Tensor.zeros('float32', dims);

describe('Conv shape rule', () => {
  it('keeps the symbolic batch dim and applies pads and strides', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 3, 32, 32]]],
      initializers: { w: w([16, 3, 3, 3]) },
      nodes: [['Conv', ['x', 'w'], ['y'], { pads: attr.is([1, 1, 1, 1]), strides: attr.is([2, 2]) }], ['Relu', ['y'], ['z']]],
      outputs: ['z'],
    });
    const r = inferShapes(m);
    expect(shapeOf(m, 'y')).toEqual(['N', 16, 16, 16]);
    expect(typeOf(m, 'y')?.dtype).toBe('float32');
    expect(r.unknown).toEqual([]);
  });

  it('keeps a symbolic spatial dim through a same-padded stride-1 conv and names a strided one by expression', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 3, 'H', 'W']]],
      initializers: { w: w([8, 3, 3, 3]) },
      nodes: [
        ['Conv', ['x', 'w'], ['y'], { pads: attr.is([1, 1, 1, 1]) }],
        ['Conv', ['x', 'w'], ['z'], { pads: attr.is([1, 1, 1, 1]), strides: attr.is([2, 2]) }],
        ['Conv', ['x', 'w'], ['z2'], { pads: attr.is([1, 1, 1, 1]), strides: attr.is([2, 2]) }],
        ['Add', ['z', 'z2'], ['s']],
      ],
      outputs: ['y', 's'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'y')).toEqual(['N', 8, 'H', 'W']);
    const z = shapeOf(m, 'z')!;
    expect(typeof z[2]).toBe('string');
    expect(z[2]).not.toBe('H');
    expect(shapeOf(m, 's')).toEqual(z);
  });

  it('handles auto_pad SAME_UPPER, VALID and dilations', () => {
    const m = model({
      inputs: [['x', 'float32', [1, 3, 15, 15]]],
      initializers: { w: w([4, 3, 3, 3]) },
      nodes: [
        ['Conv', ['x', 'w'], ['same'], { auto_pad: attr.s('SAME_UPPER'), strides: attr.is([2, 2]) }],
        ['Conv', ['x', 'w'], ['valid'], { auto_pad: attr.s('VALID') }],
        ['Conv', ['x', 'w'], ['dil'], { dilations: attr.is([2, 3]) }],
      ],
      outputs: ['same', 'valid', 'dil'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'same')).toEqual([1, 4, 8, 8]);
    expect(shapeOf(m, 'valid')).toEqual([1, 4, 13, 13]);
    expect(shapeOf(m, 'dil')).toEqual([1, 4, 11, 9]);
  });

  it('computes ConvTranspose sizes from strides, pads, output_padding, group and output_shape', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 4, 8, 8]]],
      initializers: { w: w([4, 3, 4, 4]) },
      nodes: [
        ['ConvTranspose', ['x', 'w'], ['a'], { strides: attr.is([2, 2]), pads: attr.is([1, 1, 1, 1]) }],
        ['ConvTranspose', ['x', 'w'], ['b'], { strides: attr.is([2, 2]), pads: attr.is([1, 1, 1, 1]), output_padding: attr.is([1, 0]), group: attr.i(2) }],
        ['ConvTranspose', ['x', 'w'], ['c'], { strides: attr.is([2, 2]), output_shape: attr.is([15, 17]) }],
      ],
      outputs: ['a', 'b', 'c'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'a')).toEqual(['N', 3, 16, 16]);
    expect(shapeOf(m, 'b')).toEqual(['N', 6, 17, 16]);
    expect(shapeOf(m, 'c')).toEqual(['N', 3, 15, 17]);
  });

  it('types ConvInteger as int32 and QLinearConv by its output zero point', () => {
    const m = model({
      inputs: [['x', 'uint8', ['N', 3, 10, 10]]],
      initializers: {
        w: Tensor.zeros('int8', [5, 3, 3, 3]), s: Tensor.scalar('float32', 1), zx: Tensor.scalar('uint8', 0),
        zw: Tensor.scalar('int8', 0), zy: Tensor.scalar('int8', 0),
      },
      nodes: [
        ['ConvInteger', ['x', 'w', 'zx', 'zw'], ['i']],
        ['QLinearConv', ['x', 's', 'zx', 'w', 's', 'zw', 's', 'zy'], ['q'], { pads: attr.is([1, 1, 1, 1]) }],
      ],
      outputs: ['i', 'q'],
    });
    inferShapes(m);
    expect(typeOf(m, 'i')).toEqual({ kind: 'tensor', dtype: 'int32', shape: ['N', 5, 8, 8] });
    expect(typeOf(m, 'q')).toEqual({ kind: 'tensor', dtype: 'int8', shape: ['N', 5, 10, 10] });
  });

  it('reports a Conv whose input has no shape instead of throwing', () => {
    const m = model({
      inputs: [['x', 'float32']],
      initializers: { w: w([4, 3, 3, 3]) },
      nodes: [['Conv', ['x', 'w'], ['y']]],
      outputs: ['y'],
    });
    const r = inferShapes(m);
    expect(r.unknown).toEqual([{ node: 'Conv_0', opType: 'Conv', reason: 'input has no known shape' }]);
    expect(typeOf(m, 'y')?.dtype).toBe('float32');
  });
});
