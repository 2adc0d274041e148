import { describe, expect, it } from 'vitest';
import { Tensor } from '../ir/tensor.js';
import { inferShapes } from './infer.js';
import { attr, model, shapeOf, typeOf } from './test-support/build.js';
import type { ShapeRule, UnknownShape } from './types.js';

describe('inferShapes', () => {
  it('writes intermediate values to valueInfo and leaves declared graph inputs and outputs alone', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 4]]],
      initializers: { w: Tensor.zeros('float32', [4, 3]) },
      nodes: [['MatMul', ['x', 'w'], ['h']], ['Relu', ['h'], ['y']]],
      outputs: [['y', 'float32', ['batch', 3]]],
    });
    const r = inferShapes(m);
    expect(r).toEqual({ inferred: 2, unknown: [] });
    expect([...m.graph.valueInfo.keys()]).toEqual(['h']);
    expect(m.graph.outputs[0]!.type).toEqual({ kind: 'tensor', dtype: 'float32', shape: ['batch', 3] });
    expect(m.graph.inputs[0]!.type).toEqual({ kind: 'tensor', dtype: 'float32', shape: ['N', 4] });
  });

  it('fills in a graph output type that was not declared', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 4]]],
      nodes: [['Sigmoid', ['x'], ['y']]],
      outputs: ['y'],
    });
    inferShapes(m);
    expect(m.graph.outputs[0]!.type).toEqual({ kind: 'tensor', dtype: 'float32', shape: ['N', 4] });
  });

  it('runs in topological order whatever the node list order', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 2, 6, 6]]],
      initializers: { w: Tensor.zeros('float32', [5, 2, 3, 3]) },
      nodes: [['Relu', ['c'], ['y']], ['Conv', ['x', 'w'], ['c']]],
      outputs: ['y'],
    });
    const r = inferShapes(m);
    expect(r.unknown).toEqual([]);
    expect(shapeOf(m, 'y')).toEqual(['N', 5, 4, 4]);
  });

  it('reports nodes without a rule and what depends on them, and calls onUnknown', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 4]]],
      nodes: [['MyOp', ['x'], ['a'], {}, 'com.example'], ['Relu', ['a'], ['b']], ['Relu', ['x'], ['c']]],
      outputs: ['b', 'c'],
    });
    const seen: UnknownShape[] = [];
    const r = inferShapes(m, { onUnknown: (u) => seen.push(u) });
    expect(r.unknown).toEqual([
      { node: 'MyOp_0', opType: 'MyOp', reason: 'no shape rule for com.example.MyOp' },
      { node: 'Relu_1', opType: 'Relu', reason: "input 0 'a' has no known type" },
    ]);
    expect(seen).toEqual(r.unknown);
    expect(shapeOf(m, 'c')).toEqual(['N', 4]);
  });

  it('accepts extra rules for custom ops', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 4]]],
      nodes: [['Twice', ['x'], ['a'], {}, 'com.example']],
      outputs: ['a'],
    });
    const twice: ShapeRule = (ctx) => {
      const x = ctx.needShape(0);
      return [{ dtype: 'float32', shape: [x[0]!, ctx.dims.mul(x[1]!, 2)] }];
    };
    const rules = new Map([['com.example:Twice', twice]]);
    const r = inferShapes(m, { rules });
    expect(r.unknown).toEqual([]);
    expect(shapeOf(m, 'a')).toEqual(['N', 8]);
  });

  it('never throws on malformed nodes: it reports them', () => {
    const m = model({
      inputs: [['x', 'float32', [4]], ['s', 'int64', [2]]],
      initializers: { w: Tensor.zeros('float32', [1, 1, 3]) },
      nodes: [
        ['Conv', ['x', 'w'], ['a']],
        ['Transpose', ['x'], ['b'], { perm: attr.is([0, 1]) }],
        ['Reshape', ['x'], ['c']],
        ['Cast', ['x'], ['d']],
      ],
      outputs: ['a', 'b', 'c', 'd'],
    });
    const r = inferShapes(m);
    expect(r.unknown.map((u) => u.node)).toEqual(['Conv_0', 'Transpose_1', 'Reshape_2', 'Cast_3']);
    expect(r.unknown.every((u) => u.reason.length > 0)).toBe(true);
  });

  it('uses constants of Constant nodes for later rules', () => {
    const m = model({
      inputs: [['x', 'float32', ['N', 2, 3]]],
      nodes: [['Constant', [], ['s'], { value: attr.t(Tensor.int64([0, 6])) }], ['Reshape', ['x', 's'], ['y']]],
      outputs: ['y'],
    });
    inferShapes(m);
    expect(typeOf(m, 'y')).toEqual({ kind: 'tensor', dtype: 'float32', shape: ['N', 6] });
  });

  it('falls back on existing valueInfo for ops without a rule unless told not to trust it', () => {
    const build = () => {
      const m = model({
        inputs: [['x', 'float32', ['N', 4]]],
        nodes: [['MyOp', ['x'], ['a'], {}, 'com.example'], ['Relu', ['a'], ['b']]],
        outputs: ['b'],
      });
      m.graph.valueInfo.set('a', { name: 'a', type: { kind: 'tensor', dtype: 'float32', shape: ['N', 7] } });
      return m;
    };
    const trusted = build();
    expect(inferShapes(trusted).unknown).toEqual([]);
    expect(shapeOf(trusted, 'b')).toEqual(['N', 7]);
    const strict = build();
    expect(inferShapes(strict, { trustValueInfo: false }).unknown.map((u) => u.node)).toEqual(['MyOp_0', 'Relu_1']);
  });

  it('types If outputs from what both branches declare and leaves the branches untouched', () => {
    const branch = (shape: (number | string)[]) => {
      const b = model({ inputs: [], nodes: [], outputs: [['o', 'float32', shape]] }).graph;
      return { kind: 'graph' as const, value: b };
    };
    const m = model({
      inputs: [['c', 'bool', []]],
      nodes: [['If', ['c'], ['y'], { then_branch: branch(['N', 3]), else_branch: branch(['N', 4]) }]],
      outputs: ['y'],
    });
    const r = inferShapes(m);
    expect(r.unknown).toEqual([]);
    expect(typeOf(m, 'y')).toEqual({ kind: 'tensor', dtype: 'float32', shape: ['N', null] });
    const then = m.graph.nodes[0]!.attributes[0]!.value;
    expect(then.kind === 'graph' && then.value.valueInfo.size).toBe(0);
  });
});
