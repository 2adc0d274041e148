import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { onnxCode } from '../ir/dtype.js';
import { Tensor } from '../ir/tensor.js';
import { encodeModel } from '../onnx/encode.js';
import { attr, model, type NodeSpec, type ValueSpec } from '../shape/test-support/build.js';
import { foldConstants } from './foldConstants.js';

const i64 = (v: number[], dims?: number[]) => Tensor.int64(v, dims);
const f32 = (v: number[], dims = [v.length]) => Tensor.fromFloat32(Float32Array.from(v), dims);

/** The PyTorch `x.view(x.size(0), -1)` export: Shape -> Gather(0) -> Unsqueeze -> Concat([.., -1]) -> Reshape. */
function flattenChain(batch: number | string): ReturnType<typeof model> {
  return model({
    opset: 13,
    inputs: [['x', 'float32', [batch, 64, 4, 4]]],
    initializers: { i0: i64([0], []), i1: i64([1], []), ax: i64([0]), m1: i64([-1]) },
    nodes: [
      ['Shape', ['x'], ['s']],
      ['Gather', ['s', 'i0'], ['n'], { axis: attr.i(0) }],
      ['Unsqueeze', ['n', 'ax'], ['n1']],
      ['Concat', ['n1', 'm1'], ['target'], { axis: attr.i(0) }],
      ['Reshape', ['x', 'target'], ['flat']],
      ['Gather', ['s', 'i1'], ['c'], { axis: attr.i(0) }],
      ['Unsqueeze', ['c', 'ax'], ['c1']],
      ['Concat', ['m1', 'c1'], ['target2'], { axis: attr.i(0) }],
      ['Reshape', ['x', 'target2'], ['rows']],
    ],
    outputs: ['flat', 'rows'],
  });
}

describe('foldConstants', () => {
  it('collapses a static Shape->Gather->Unsqueeze->Concat->Reshape chain into a constant target', () => {
    const m = flattenChain(2);
    expect(foldConstants(m)).toBe(7);
    expect(m.graph.nodes.map((n) => n.opType)).toEqual(['Reshape', 'Reshape']);
    expect(m.graph.initializers.get('target')!.toNumbers()).toEqual([2, -1]);
    expect(m.graph.initializers.get('target2')!.toNumbers()).toEqual([-1, 64]);
    expect([...m.graph.initializers.keys()].sort()).toEqual(['target', 'target2']);
  });

  it('keeps the dynamic batch part of the chain and folds the static channel part', () => {
    const m = flattenChain('N');
    expect(foldConstants(m)).toBe(3);
    expect(m.graph.nodes.map((n) => n.opType)).toEqual(['Shape', 'Gather', 'Unsqueeze', 'Concat', 'Reshape', 'Reshape']);
    expect(m.graph.initializers.get('target2')!.toNumbers()).toEqual([-1, 64]);
  });

  it('never folds a graph output and turns Constant nodes into initializers', () => {
    const m = model({
      inputs: [['x', 'float32', [2, 3]]],
      nodes: [
        ['Constant', [], ['k'], { value: attr.t(i64([1, 2])) }],
        ['Shape', ['x'], ['s']],
        ['Add', ['s', 'k'], ['sum']],
      ],
      outputs: ['sum'],
    });
    expect(foldConstants(m)).toBe(2);
    expect(m.graph.nodes.map((n) => n.opType)).toEqual(['Add']);
    expect(m.graph.initializers.get('s')!.toNumbers()).toEqual([2, 3]);
    expect(m.graph.initializers.get('k')!.toNumbers()).toEqual([1, 2]);
  });

  it('does not fold results larger than maxOutputElements beyond their inputs', () => {
    const m = model({
      inputs: [['x', 'float32', [4, 4]]],
      initializers: { shape: i64([4, 4]) },
      nodes: [['ConstantOfShape', ['shape'], ['z']], ['Add', ['x', 'z'], ['y']]],
      outputs: ['y'],
    });
    expect(foldConstants(m, { maxOutputElements: 8 })).toBe(0);
    expect(foldConstants(m)).toBe(1);
  });

  // Each case: a node over constants whose result feeds an Identity graph output, so the
  // node folds and onnxruntime's result for the unfolded model is the reference.
  const cases: Array<{ name: string; opset?: number; node: NodeSpec; inits: Record<string, Tensor>; inputs?: ValueSpec[] }> = [
    { name: 'Gather with negative indices on axis 1', node: ['Gather', ['d', 'i'], ['r'], { axis: attr.i(1) }], inits: { d: f32([1, 2, 3, 4, 5, 6], [2, 3]), i: i64([-1, 0, 2, 2], [2, 2]) } },
    { name: 'Slice with negative step and INT64_MAX', node: ['Slice', ['d', 's', 'e', 'a', 'st'], ['r']], inits: { d: i64([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [3, 4]), s: i64([-1, 0]), e: new Tensor('int64', BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n), [2]), a: i64([1, 0]), st: i64([-2, 2]) } },
    { name: 'Slice keeping INT64_MAX values exact', node: ['Slice', ['d', 's', 'e'], ['r']], inits: { d: new Tensor('int64', BigInt64Array.of(1n, 2n ** 63n - 1n, 3n), [3]), s: i64([1]), e: i64([3]) } },
    { name: 'Concat on axis 1', node: ['Concat', ['a', 'b'], ['r'], { axis: attr.i(1) }], inits: { a: f32([1, 2], [2, 1]), b: f32([3, 4, 5, 6], [2, 2]) } },
    { name: 'Unsqueeze with axes from an input', opset: 13, node: ['Unsqueeze', ['d', 'a'], ['r']], inits: { d: i64([5, 6]), a: i64([0, -1]) } },
    { name: 'Reshape with 0 and -1', node: ['Reshape', ['d', 's'], ['r']], inits: { d: f32([1, 2, 3, 4, 5, 6], [2, 3]), s: i64([0, -1, 1]) } },
    { name: 'Cast float to int64 (truncation)', node: ['Cast', ['d'], ['r'], { to: attr.i(onnxCode('int64')) }], inits: { d: f32([1.7, -1.7, 2.5, -0.2]) } },
    { name: 'Cast int64 to float', node: ['Cast', ['d'], ['r'], { to: attr.i(onnxCode('float32')) }], inits: { d: i64([3, -4, 16777217]) } },
    { name: 'Div of int64 truncating toward zero', node: ['Div', ['a', 'b'], ['r']], inits: { a: i64([7, -7, 7, -7]), b: i64([2, 2, -2, -2]) } },
    { name: 'Mul broadcasting float32', node: ['Mul', ['a', 'b'], ['r']], inits: { a: f32([0.1, 0.2, 0.3], [3, 1]), b: f32([3, 7]) } },
    { name: 'Div of float32', node: ['Div', ['a', 'b'], ['r']], inits: { a: f32([1, 2, 3]), b: f32([3, 7, 11]) } },
    { name: 'Sub of int64', node: ['Sub', ['a', 'b'], ['r']], inits: { a: i64([10, 20]), b: i64([3]) } },
    { name: 'Where broadcasting', node: ['Where', ['c', 'a', 'b'], ['r']], inits: { c: new Tensor('bool', Uint8Array.of(1, 0), [2]), a: i64([1, 2]), b: i64([9, 8, 7, 6], [2, 2]) } },
    { name: 'Equal of int64', node: ['Equal', ['a', 'b'], ['r']], inits: { a: i64([1, -1, 3]), b: i64([-1]) } },
    { name: 'Range of float32', node: ['Range', ['s', 'l', 'd'], ['r']], inits: { s: Tensor.scalar('float32', 0.1), l: Tensor.scalar('float32', 3), d: Tensor.scalar('float32', 0.3) } },
    { name: 'Range of int64', node: ['Range', ['s', 'l', 'd'], ['r']], inits: { s: i64([10], []), l: i64([0], []), d: i64([-3], []) } },
    { name: 'ConstantOfShape with an int64 value', node: ['ConstantOfShape', ['s'], ['r'], { value: attr.t(i64([7], [1])) }], inits: { s: i64([2, 3]) } },
    { name: 'Expand', node: ['Expand', ['d', 's'], ['r']], inits: { d: f32([1, 2, 3], [3, 1]), s: i64([2, 1, 4]) } },
    { name: 'ReduceProd over axis 1 without keepdims', node: ['ReduceProd', ['d'], ['r'], { axes: attr.is([1]), keepdims: attr.i(0) }], inits: { d: i64([1, 2, 3, 4, 5, 6], [2, 3]) } },
    { name: 'Transpose', node: ['Transpose', ['d'], ['r'], { perm: attr.is([1, 0, 2]) }], inits: { d: f32(Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]) } },
  ];
  it.each(cases)('evaluates $name like onnxruntime', async (c) => {
    const m = model({
      opset: c.opset ?? 17,
      inputs: c.inputs ?? [],
      initializers: c.inits,
      nodes: [c.node, ['Identity', ['r'], ['out']]],
      outputs: ['out'],
    });
    const session = await ort.InferenceSession.create(encodeModel(m).model);
    const ref = (await session.run({})).out!;
    expect(foldConstants(m)).toBe(1);
    const t = m.graph.initializers.get('r')!;
    expect(t.dims).toEqual(ref.dims);
    const got = t.data instanceof BigInt64Array ? Array.from(t.data) : Array.from(t.data as Float32Array);
    expect(got).toEqual(Array.from(ref.data as ArrayLike<number | bigint>));
  });
});
