import { describe, expect, it } from 'vitest';
import { Tensor } from '../../ir/tensor.js';
import { inferShapes } from '../infer.js';
import { attr, model, shapeOf, typeOf } from '../test-support/build.js';

describe('matrix product shape rules', () => {
  it('broadcasts MatMul batch dims numpy-style', () => {
    const m = model({
      inputs: [['a', 'float32', ['N', 1, 5, 4]], ['b', 'float32', [3, 4, 7]]],
      nodes: [['MatMul', ['a', 'b'], ['y']]],
      outputs: ['y'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'y')).toEqual(['N', 3, 5, 7]);
  });

  it('promotes and drops 1-D MatMul operands', () => {
    const m = model({
      inputs: [['v', 'float32', [4]], ['m', 'float32', ['B', 4, 7]], ['n', 'float32', [5, 4]]],
      nodes: [['MatMul', ['v', 'm'], ['vm']], ['MatMul', ['n', 'v'], ['nv']], ['MatMul', ['v', 'v'], ['vv']]],
      outputs: ['vm', 'nv', 'vv'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'vm')).toEqual(['B', 7]);
    expect(shapeOf(m, 'nv')).toEqual([5]);
    expect(shapeOf(m, 'vv')).toEqual([]);
  });

  it('reports a contraction mismatch', () => {
    const m = model({
      inputs: [['a', 'float32', [2, 3]], ['b', 'float32', [4, 5]]],
      nodes: [['MatMul', ['a', 'b'], ['y']]],
      outputs: ['y'],
    });
    const r = inferShapes(m);
    expect(r.unknown).toEqual([{ node: 'MatMul_0', opType: 'MatMul', reason: 'contraction dims differ: 3 vs 4' }]);
  });

  it('applies Gemm transA and transB', () => {
    const m = model({
      inputs: [['a', 'float32', ['N', 16]], ['at', 'float32', [16, 'N']]],
      initializers: { b: Tensor.zeros('float32', [10, 16]), c: Tensor.zeros('float32', [10]) },
      nodes: [['Gemm', ['a', 'b', 'c'], ['y'], { transB: attr.i(1) }], ['Gemm', ['at', 'b', 'c'], ['z'], { transA: attr.i(1), transB: attr.i(1) }]],
      outputs: ['y', 'z'],
    });
    inferShapes(m);
    expect(shapeOf(m, 'y')).toEqual(['N', 10]);
    expect(shapeOf(m, 'z')).toEqual(['N', 10]);
  });

  it('types MatMulInteger as int32 and QLinearMatMul by its output zero point', () => {
    const m = model({
      inputs: [['a', 'uint8', ['N', 'T', 8]]],
      initializers: { b: Tensor.zeros('int8', [8, 3]), s: Tensor.scalar('float32', 1), za: Tensor.scalar('uint8', 0), zb: Tensor.scalar('int8', 0) },
      nodes: [['MatMulInteger', ['a', 'b', 'za', 'zb'], ['i']], ['QLinearMatMul', ['a', 's', 'za', 'b', 's', 'zb', 's', 'za'], ['q']]],
      outputs: ['i', 'q'],
    });
    inferShapes(m);
    expect(typeOf(m, 'i')).toEqual({ kind: 'tensor', dtype: 'int32', shape: ['N', 'T', 3] });
    expect(typeOf(m, 'q')).toEqual({ kind: 'tensor', dtype: 'uint8', shape: ['N', 'T', 3] });
  });
});
