import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { Tensor } from '../ir/tensor.js';
import type { Model } from '../ir/graph.js';
import { encodeModel } from '../onnx/encode.js';
import { attr, model, type NodeSpec } from '../shape/test-support/build.js';
import { cloneModel } from './clone.js';
import { preprocess } from './preprocess.js';

function rand(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((s >>> 8) / 2 ** 24) * (hi - lo);
  }
  return out;
}

const constant = (name: string, t: Tensor): NodeSpec => ['Constant', [], [name], { value: attr.t(t) }];
const f32 = (dims: number[], seed: number, lo?: number, hi?: number) => Tensor.fromFloat32(rand(dims.reduce((a, b) => a * b, 1), seed, lo, hi), dims);

/**
 * What a PyTorch export looks like before preprocessing: weights as Constant nodes, an
 * unfused Conv -> BatchNormalization, an Identity, `x.view(x.size(0), -1)` over a dynamic
 * batch, a static `view(-1, C*H*W)` built from Shape, and an inference Dropout.
 */
function torchLike(): Model {
  return model({
    opset: 13,
    inputs: [['x', 'float32', ['N', 3, 8, 8]]],
    nodes: [
      constant('w', f32([8, 3, 3, 3], 1)), constant('b', f32([8], 2)),
      constant('g', f32([8], 3, 0.5, 1.5)), constant('beta', f32([8], 4)), constant('mu', f32([8], 5)), constant('var', f32([8], 6, 0.2, 2)),
      ['Conv', ['x', 'w', 'b'], ['c'], { pads: attr.is([1, 1, 1, 1]) }],
      ['BatchNormalization', ['c', 'g', 'beta', 'mu', 'var'], ['bn'], { epsilon: attr.f(1e-5) }],
      ['Relu', ['bn'], ['r']],
      ['Identity', ['r'], ['rid']],
      ['Shape', ['rid'], ['s']],
      constant('i0', Tensor.int64([0], [])), constant('i1', Tensor.int64([1], [])), constant('i2', Tensor.int64([2], [])), constant('i3', Tensor.int64([3], [])),
      constant('ax', Tensor.int64([0])), constant('m1', Tensor.int64([-1])),
      ['Gather', ['s', 'i0'], ['n'], { axis: attr.i(0) }],
      ['Unsqueeze', ['n', 'ax'], ['n1']],
      ['Concat', ['n1', 'm1'], ['dyn'], { axis: attr.i(0) }],
      ['Reshape', ['rid', 'dyn'], ['flat']],
      ['Gather', ['s', 'i1'], ['ch'], { axis: attr.i(0) }],
      ['Gather', ['s', 'i2'], ['h'], { axis: attr.i(0) }],
      ['Gather', ['s', 'i3'], ['wd'], { axis: attr.i(0) }],
      ['Mul', ['ch', 'h'], ['chh']],
      ['Mul', ['chh', 'wd'], ['chw']],
      ['Unsqueeze', ['chw', 'ax'], ['chw1']],
      ['Concat', ['m1', 'chw1'], ['stat'], { axis: attr.i(0) }],
      ['Reshape', ['flat', 'stat'], ['flat2']],
      constant('fc', f32([10, 512], 7, -0.05, 0.05)), constant('fcb', f32([10], 8)),
      ['Gemm', ['flat2', 'fc', 'fcb'], ['logits0'], { transB: attr.i(1) }],
      ['Dropout', ['logits0'], ['logits']],
    ],
    outputs: [['logits', 'float32', ['N', 10]]],
  });
}

function expectAgree(a: Float32Array, b: Float32Array): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(a[i]!));
}

describe('preprocess on a PyTorch-export-like graph', () => {
  it('folds BN, removes Identity/Dropout, folds the static shape chain and types every value', async () => {
    const original = torchLike();
    const m = cloneModel(original);
    const s = preprocess(m);
    const ops = m.graph.nodes.map((n) => n.opType);
    expect(ops).not.toContain('BatchNormalization');
    expect(ops).not.toContain('Identity');
    expect(ops).not.toContain('Dropout');
    expect(ops).not.toContain('Constant');
    // The dynamic batch chain stays; the static C*H*W chain became one initializer.
    expect(ops).toEqual(['Conv', 'Relu', 'Shape', 'Gather', 'Unsqueeze', 'Concat', 'Reshape', 'Reshape', 'Gemm']);
    expect(m.graph.initializers.get('stat')!.toNumbers()).toEqual([-1, 512]);
    expect(s).toMatchObject({ constantsToInitializers: 14, identitiesRemoved: 2, batchNormsFolded: 1, constantsFolded: 7, unknownShapes: [] });
    expect(s.nodesBefore).toBe(original.graph.nodes.length);
    expect(s.nodesAfter).toBe(9);
    for (const n of m.graph.nodes) {
      for (const o of n.outputs) {
        const v = m.graph.valueInfo.get(o) ?? m.graph.outputs.find((x) => x.name === o);
        expect(v?.type?.kind, `dtype of ${o}`).toBe('tensor');
      }
    }
    expect(m.graph.valueInfo.get('flat')!.type).toEqual({ kind: 'tensor', dtype: 'float32', shape: ['N', 512] });
    expect(m.graph.outputs.map((o) => o.name)).toEqual(['logits']);

    const x = new ort.Tensor('float32', rand(3 * 3 * 64, 11), [3, 3, 8, 8]);
    const ref = await (await ort.InferenceSession.create(encodeModel(original).model)).run({ x });
    const out = await (await ort.InferenceSession.create(encodeModel(m).model)).run({ x });
    expect(out.logits!.dims).toEqual([3, 10]);
    expectAgree(ref.logits!.data as Float32Array, out.logits!.data as Float32Array);
  });

  it('mutates the model passed in and leaves a clone untouched', () => {
    const original = torchLike();
    const before = original.graph.nodes.length;
    const work = cloneModel(original);
    preprocess(work);
    expect(original.graph.nodes.length).toBe(before);
    expect(work.graph.nodes.length).toBeLessThan(before);
  });

  it('skips steps switched off', () => {
    const m = torchLike();
    const s = preprocess(m, { foldBatchNorm: false, removeIdentity: false, foldConstants: false, inferShapes: false });
    const ops = m.graph.nodes.map((n) => n.opType);
    expect(ops).toContain('BatchNormalization');
    expect(ops).toContain('Identity');
    expect(s.shapesInferred).toBe(0);
    expect(m.graph.valueInfo.size).toBe(0);
  });
});
