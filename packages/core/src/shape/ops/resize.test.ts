import { describe, expect, it } from 'vitest';
import { Tensor } from '../../ir/tensor.js';
import { inferShapes } from '../infer.js';
import { attr, model, shapeOf } from '../test-support/build.js';

const f32 = (v: number[]) => new Tensor('float32', Float32Array.from(v), [v.length]);
const empty = new Tensor('float32', new Float32Array(0), [0]);

describe('resize and pad shape rules', () => {
  it('scales Resize (opset 11) by constant scales, symbols by integer factors', () => {
    const m = model({
      opset: 11,
      inputs: [['x', 'float32', ['N', 8, 'H', 15]]],
      initializers: { roi: empty, sc: f32([1, 1, 2, 0.5]) },
      nodes: [['Resize', ['x', 'roi', 'sc'], ['y'], { mode: attr.s('nearest') }]],
      outputs: ['y'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'y')).toEqual(['N', 8, '2*H', 7]);
  });

  it('takes Resize sizes when scales are empty, and scales as input 1 at opset 10', () => {
    const m = model({
      opset: 13,
      inputs: [['x', 'float32', ['N', 3, 10, 10]]],
      initializers: { sz: Tensor.int64([1, 3, 32, 24]), empty },
      nodes: [['Resize', ['x', '', 'empty', 'sz'], ['y']]],
      outputs: ['y'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'y')).toEqual([1, 3, 32, 24]);
    const old = model({
      opset: 10,
      inputs: [['x', 'float32', [1, 3, 10, 10]]],
      initializers: { sc: f32([1, 1, 1.5, 3]) },
      nodes: [['Resize', ['x', 'sc'], ['y']]],
      outputs: ['y'],
    });
    inferShapes(old);
    expect(shapeOf(old, 'y')).toEqual([1, 3, 15, 30]);
  });

  it('reads Upsample scales from the attribute (opset 7) and the input (opset 9)', () => {
    const a = model({
      opset: 7,
      inputs: [['x', 'float32', ['N', 2, 4, 4]]],
      nodes: [['Upsample', ['x'], ['y'], { scales: attr.fs([1, 1, 2, 3]) }]],
      outputs: ['y'],
    });
    inferShapes(a);
    expect(shapeOf(a, 'y')).toEqual(['N', 2, 8, 12]);
    const b = model({
      opset: 9,
      inputs: [['x', 'float32', ['N', 2, 4, 4]]],
      initializers: { sc: f32([1, 1, 2, 2]) },
      nodes: [['Upsample', ['x', 'sc'], ['y']]],
      outputs: ['y'],
    });
    inferShapes(b);
    expect(shapeOf(b, 'y')).toEqual(['N', 2, 8, 8]);
  });

  it('adds Pad amounts from the attribute (opset 2) and the input (opset 11)', () => {
    const a = model({
      opset: 2,
      inputs: [['x', 'float32', ['N', 3, 'H', 5]]],
      nodes: [['Pad', ['x'], ['y'], { pads: attr.is([0, 0, 1, 2, 0, 0, 1, 3]) }]],
      outputs: ['y'],
    });
    inferShapes(a);
    expect(shapeOf(a, 'y')).toEqual(['N', 3, 'H+2', 10]);
    const b = model({
      opset: 11,
      inputs: [['x', 'float32', ['N', 3, 4, 5]]],
      initializers: { p: Tensor.int64([0, 0, 1, 1, 0, 0, 1, 1]) },
      nodes: [['Pad', ['x', 'p'], ['y']]],
      outputs: ['y'],
    });
    inferShapes(b);
    expect(shapeOf(b, 'y')).toEqual(['N', 3, 6, 7]);
  });
});
