import { describe, expect, it } from 'vitest';
import { Tensor } from '../ir/tensor.js';
import { attr, model, type NodeSpec } from '../shape/test-support/build.js';
import { cloneModel } from './clone.js';
import { expectSameOutputs, seeded } from './test-support/ortCompare.js';
import { foldConvAffine } from './foldConvAffine.js';

const f32 = (dims: number[], seed: number) => Tensor.fromFloat32(seeded(dims.reduce((a, b) => a * b, 1), seed), dims);
const scalar = (v: number, dims: number[] = []) => new Tensor('float32', Float32Array.of(v), dims);


const convModel = (tail: NodeSpec[], inits: Record<string, Tensor>, out = 'y') => model({
  opset: 13, inputs: [['x', 'float32', [1, 2, 5, 5]]], outputs: [out],
  nodes: [['Conv', ['x', 'w', 'b'], ['c'], { pads: attr.is([1, 1, 1, 1]) }], ...tail],
  initializers: { w: f32([3, 2, 3, 3], 1), b: f32([3], 2), ...inits },
});

describe('foldConvAffine', () => {
  it('folds a scalar Mul and a per-channel Add after a Conv into its weights and bias', async () => {
    const m = convModel([['Mul', ['s', 'c'], ['m']], ['Add', ['m', 'd'], ['y']]], { s: scalar(1.38, [1]), d: f32([1, 3, 1, 1], 3) });
    const folded = cloneModel(m);
    expect(foldConvAffine(folded)).toBe(2);
    expect(folded.graph.nodes.map((n) => n.opType)).toEqual(['Conv']);
    expect(folded.graph.nodes[0]!.outputs).toEqual(['y']);
    expect(folded.graph.initializers.has('s')).toBe(false);
    await expectSameOutputs(m, folded, [1, 2, 5, 5]);
  });

  it('folds Sub and Div by constants, with the constant on either side of Sub', async () => {
    const m = convModel([['Sub', ['c', 'k'], ['a']], ['Div', ['a', 'z'], ['d']], ['Sub', ['k', 'd'], ['y']]], { k: f32([3, 1, 1], 4), z: scalar(2.5) });
    const folded = cloneModel(m);
    expect(foldConvAffine(folded)).toBe(3);
    await expectSameOutputs(m, folded, [1, 2, 5, 5]);
  });

  it('stops at a constant that is not per output channel, at a shared output and at Div of a constant by the Conv', () => {
    const spatial = convModel([['Mul', ['c', 'k'], ['y']]], { k: f32([1, 1, 5, 5], 6) });
    const shared = convModel([['Mul', ['c', 's'], ['m']], ['Add', ['m', 'c'], ['y']]], { s: scalar(2) });
    const inverse = convModel([['Div', ['s', 'c'], ['y']]], { s: scalar(2) });
    for (const m of [spatial, shared, inverse]) expect(foldConvAffine(m)).toBe(0);
  });

  it('folds a chain of 2,000 Adds of one shared constant into the bias and drops the constant', () => {
    const adds = Array.from({ length: 2000 }, (_, i): NodeSpec => ['Add', [i === 0 ? 'c' : `a${i - 1}`, 'one'], [i === 1999 ? 'y' : `a${i}`]]);
    const m = convModel(adds, { one: scalar(1) });
    const bias = [...(m.graph.initializers.get('b')!.data as Float32Array)];
    expect(foldConvAffine(m)).toBe(2000);
    expect(m.graph.nodes.map((n) => `${n.opType}(${n.inputs.join(',')})->${n.outputs.join(',')}`)).toEqual(['Conv(x,w,b)->y']);
    expect([...(m.graph.initializers.get('b')!.data as Float32Array)]).toEqual(bias.map((v) => Math.fround(v + 2000)));
    expect([...m.graph.initializers.keys()].sort()).toEqual(['b', 'w']);
  });
});
