import { describe, expect, it } from 'vitest';
import { Tensor } from '../../ir/tensor.js';
import { inferShapes } from '../infer.js';
import { model, typeOf } from '../test-support/build.js';

describe('quantization shape rules', () => {
  it('types QuantizeLinear by its zero point (uint8 without one) and DequantizeLinear by its scale', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 16]]],
      initializers: { s: Tensor.scalar('float32', 0.1), z: Tensor.scalar('int8', 0) },
      nodes: [['QuantizeLinear', ['x', 's', 'z'], ['q']], ['QuantizeLinear', ['x', 's'], ['qu']], ['DequantizeLinear', ['q', 's', 'z'], ['dq']]],
      outputs: ['qu', 'dq'],
    });
    inferShapes(m);
    expect(typeOf(m, 'q')).toEqual({ kind: 'tensor', dtype: 'int8', shape: ['N', 16] });
    expect(typeOf(m, 'qu')).toEqual({ kind: 'tensor', dtype: 'uint8', shape: ['N', 16] });
    expect(typeOf(m, 'dq')).toEqual({ kind: 'tensor', dtype: 'float32', shape: ['N', 16] });
  });

  it('gives DynamicQuantizeLinear uint8 data and scalar scale and zero point', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 'T', 8]]],
      nodes: [['DynamicQuantizeLinear', ['x'], ['y', 'ys', 'yz']]],
      outputs: ['y', 'ys', 'yz'],
    });
    inferShapes(m);
    expect(typeOf(m, 'y')).toEqual({ kind: 'tensor', dtype: 'uint8', shape: ['N', 'T', 8] });
    expect(typeOf(m, 'ys')).toEqual({ kind: 'tensor', dtype: 'float32', shape: [] });
    expect(typeOf(m, 'yz')).toEqual({ kind: 'tensor', dtype: 'uint8', shape: [] });
  });
});
