import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { Tensor } from '../ir/tensor.js';
import type { Model } from '../ir/graph.js';
import { encodeModel } from '../onnx/encode.js';
import { attr, model, type NodeSpec } from '../shape/test-support/build.js';
import { cloneModel } from './clone.js';
import { fuseHardSwish } from './fuseHardSwish.js';

function seeded(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 8 - 4);
}
const scalar = (v: number, dims: number[] = []) => new Tensor('float32', dims, Float32Array.of(v));

async function outputsOf(m: Model, x: Float32Array, dims: number[]): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(encodeModel(m).model);
  const r = await s.run({ x: new ort.Tensor('float32', x, dims) });
  return r[m.graph.outputs[0]!.name]!.data as Float32Array;
}

async function expectSameOutputs(a: Model, b: Model, dims: number[]): Promise<void> {
  const x = seeded(dims.reduce((p, q) => p * q, 1), 5);
  const [p, q] = [await outputsOf(a, x, dims), await outputsOf(b, x, dims)];
  expect(q.length).toBe(p.length);
  for (let i = 0; i < p.length; i++) expect(Math.abs(p[i]! - q[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(p[i]!)));
}

describe('fuseHardSwish', () => {
  const hswish = (scale: NodeSpec): Model => model({
    opset: 13, inputs: [['x', 'float32', [2, 3, 4, 5]]], outputs: ['y'],
    nodes: [['Add', ['x', 'three'], ['a']], ['Clip', ['a', 'zero', 'six'], ['c']], ['Mul', ['x', 'c'], ['m']], scale],
    initializers: { three: scalar(3), zero: scalar(0), six: scalar(6), sixth: scalar(1 / 6) },
  });

  it('rebuilds x * Clip(x + 3, 0, 6) / 6 as Mul(x, HardSigmoid(x)) with the same values', async () => {
    for (const scale of [['Div', ['m', 'six'], ['y']], ['Mul', ['sixth', 'm'], ['y']]] as NodeSpec[]) {
      const m = hswish(scale);
      const fused = cloneModel(m);
      expect(fuseHardSwish(fused)).toBe(1);
      expect(fused.graph.nodes.map((n) => n.opType)).toEqual(['HardSigmoid', 'Mul']);
      expect(fused.graph.nodes[1]!.outputs).toEqual(['y']);
      await expectSameOutputs(m, fused, [2, 3, 4, 5]);
    }
  });

  it('rebuilds Clip(x + 3, 0, 6) / 6 alone as HardSigmoid', async () => {
    const m = model({
      opset: 9, inputs: [['x', 'float32', [2, 3, 4, 5]]], outputs: ['y'],
      nodes: [['Add', ['three', 'x'], ['a']], ['Clip', ['a'], ['c'], { min: attr.f(0), max: attr.f(6) }], ['Div', ['c', 'six'], ['y']]],
      initializers: { three: scalar(3), six: scalar(6) },
    });
    const fused = cloneModel(m);
    expect(fuseHardSwish(fused)).toBe(1);
    expect(fused.graph.nodes.map((n) => n.opType)).toEqual(['HardSigmoid']);
    await expectSameOutputs(m, fused, [2, 3, 4, 5]);
  });

  it('leaves the pattern alone when an intermediate value has another reader or the constants differ', () => {
    const read = hswish(['Div', ['m', 'six'], ['y']]);
    read.graph.outputs.push({ name: 'c' });
    const relu5 = hswish(['Div', ['m', 'six'], ['y']]);
    relu5.graph.initializers.set('six', scalar(5));
    expect(fuseHardSwish(read)).toBe(0);
    expect(fuseHardSwish(relu5)).toBe(0);
  });
});
