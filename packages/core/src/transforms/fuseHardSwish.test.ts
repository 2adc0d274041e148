import { describe, expect, it } from 'vitest';
import { Tensor } from '../ir/tensor.js';
import type { Model } from '../ir/graph.js';
import { attr, model, type NodeSpec } from '../shape/test-support/build.js';
import { cloneModel } from './clone.js';
import { expectSameOutputs } from './test-support/ortCompare.js';
import { fuseHardSwish } from './fuseHardSwish.js';

const scalar = (v: number, dims: number[] = []) => new Tensor('float32', Float32Array.of(v), dims);

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
