import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { Tensor } from '../../ir/tensor.js';
import { encodeModel } from '../../onnx/encode.js';
import { inferShapes } from '../infer.js';
import { attr, model, shapeOf } from '../test-support/build.js';

describe('recurrent shape rules', () => {
  it('shapes a bidirectional LSTM over a symbolic sequence and batch', () => {
    const m = model({
      inputs: [['x', 'float32', ['T', 'N', 16]]],
      initializers: { w: Tensor.zeros('float32', [2, 128, 16]), r: Tensor.zeros('float32', [2, 128, 32]) },
      nodes: [['LSTM', ['x', 'w', 'r'], ['y', 'yh', 'yc'], { hidden_size: attr.i(32), direction: attr.s('bidirectional') }]],
      outputs: ['y', 'yh', 'yc'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'y')).toEqual(['T', 2, 'N', 32]);
    expect(shapeOf(m, 'yh')).toEqual([2, 'N', 32]);
    expect(shapeOf(m, 'yc')).toEqual([2, 'N', 32]);
  });

  it('puts batch first with layout 1', () => {
    const m = model({
      opset: 14,
      inputs: [['x', 'float32', ['N', 'T', 4]]],
      initializers: { w: Tensor.zeros('float32', [1, 6, 4]), r: Tensor.zeros('float32', [1, 6, 6]) },
      nodes: [['RNN', ['x', 'w', 'r'], ['y', 'yh'], { hidden_size: attr.i(6), layout: attr.i(1) }]],
      outputs: ['y', 'yh'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'y')).toEqual(['N', 'T', 1, 6]);
    expect(shapeOf(m, 'yh')).toEqual(['N', 1, 6]);
  });

  it('matches onnxruntime for a reverse GRU', async () => {
    const m = model({
      opset: 14,
      inputs: [['x', 'float32', [3, 5, 4]]],
      initializers: { w: Tensor.zeros('float32', [1, 18, 4]), r: Tensor.zeros('float32', [1, 18, 6]) },
      nodes: [['GRU', ['x', 'w', 'r'], ['y', 'yh'], { hidden_size: attr.i(6), direction: attr.s('reverse') }]],
      outputs: ['y', 'yh'],
    });
    const out = await (await ort.InferenceSession.create(encodeModel(m).model)).run({ x: new ort.Tensor('float32', new Float32Array(60), [3, 5, 4]) });
    inferShapes(m);
    expect(shapeOf(m, 'y')).toEqual(out.y!.dims);
    expect(shapeOf(m, 'yh')).toEqual(out.yh!.dims);
  });
});
