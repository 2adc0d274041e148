import { describe, expect, it } from 'vitest';
import { Tensor } from '../../ir/tensor.js';
import { inferShapes } from '../infer.js';
import { attr, model, shapeOf, typeOf } from '../test-support/build.js';

describe('normalization shape rules', () => {
  it('keeps BatchNormalization output equal to its input', () => {
    const p = Tensor.zeros('float32', [8]);
    const m = model({
      inputs: [['x', 'float32', ['N', 8, 'H', 'W']]],
      initializers: { s: p, b: p, mu: p, v: p },
      nodes: [['BatchNormalization', ['x', 's', 'b', 'mu', 'v'], ['y']]],
      outputs: ['y'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'y')).toEqual(['N', 8, 'H', 'W']);
  });

  it('gives LayerNormalization Mean and InvStdDev the leading dims and ones', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 'T', 64]]],
      initializers: { g: Tensor.zeros('float32', [64]) },
      nodes: [['LayerNormalization', ['x', 'g'], ['y', 'mean', 'inv'], { axis: attr.i(-1) }]],
      outputs: ['y', 'mean', 'inv'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'y')).toEqual(['N', 'T', 64]);
    expect(typeOf(m, 'mean')).toEqual({ kind: 'tensor', dtype: 'float32', shape: ['N', 'T', 1] });
    expect(shapeOf(m, 'inv')).toEqual(['N', 'T', 1]);
  });

  it('keeps Softmax and LogSoftmax shapes', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 40, 6625]]],
      nodes: [['Softmax', ['x'], ['s'], { axis: attr.i(2) }], ['LogSoftmax', ['x'], ['l']]],
      outputs: ['s', 'l'],
    });
    inferShapes(m);
    expect(shapeOf(m, 's')).toEqual(['N', 40, 6625]);
    expect(shapeOf(m, 'l')).toEqual(['N', 40, 6625]);
  });
});
