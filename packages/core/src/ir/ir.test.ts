import { describe, expect, it } from 'vitest';
import { createGraph, type Node } from './graph.js';
import { GraphIndex, matchChains, topologicalSort } from './graphIndex.js';
import { float16ToFloat32, float32ToFloat16, float32ToBfloat16, bfloat16ToFloat32, float32ToFloat8e4m3fn, float8e4m3fnToFloat32 } from './floatBits.js';
import { Tensor } from './tensor.js';
import { dtypeFromOnnx, onnxCode } from './dtype.js';

const node = (name: string, opType: string, inputs: string[], outputs: string[]): Node => ({ name, opType, domain: '', inputs, outputs, attributes: [] });

describe('graph index and order', () => {
  const g = createGraph();
  g.inputs.push({ name: 'x' });
  g.outputs.push({ name: 'y' });
  // deliberately out of order
  g.nodes.push(node('relu', 'Relu', ['c'], ['r']), node('conv', 'Conv', ['x', 'w'], ['c']), node('add', 'Add', ['r', 'c'], ['y']));

  it('finds producers and consumers of values', () => {
    const idx = new GraphIndex(g);
    expect(idx.producer('c')!.name).toBe('conv');
    expect(idx.consumers('c').map((n) => n.name).sort()).toEqual(['add', 'relu']);
    expect(idx.soleConsumer('c')).toBeUndefined();
    expect(idx.soleConsumer('r')!.name).toBe('add');
  });

  it('sorts nodes topologically', () => {
    expect(topologicalSort(g).map((n) => n.name)).toEqual(['conv', 'relu', 'add']);
  });

  it('matches chains only through sole consumers', () => {
    expect(matchChains(g, [{ opType: 'Relu' }, { opType: 'Add' }]).map((c) => c.map((n) => n.name))).toEqual([['relu', 'add']]);
    expect(matchChains(g, [{ opType: 'Conv' }, { opType: 'Relu' }])).toEqual([]);
  });

  it('throws E_GRAPH naming a node on a cycle', () => {
    const c = createGraph();
    c.nodes.push(node('a', 'Relu', ['b_out'], ['a_out']), node('b', 'Relu', ['a_out'], ['b_out']));
    expect(() => topologicalSort(c)).toThrow(/cycle through node/);
  });

  it('counts values read by subgraphs as consumers of the outer value', () => {
    const body = createGraph('then');
    body.nodes.push(node('inner', 'Relu', ['outer'], ['o']));
    body.outputs.push({ name: 'o' });
    const top = createGraph();
    top.nodes.push(node('p', 'Relu', ['x'], ['outer']), { ...node('if', 'If', ['cond'], ['z']), attributes: [{ name: 'then_branch', value: { kind: 'graph', value: body } }] });
    expect(new GraphIndex(top).consumers('outer').map((n) => n.name)).toEqual(['if']);
  });
});

describe('dtypes and narrow floats', () => {
  it('maps ONNX element type numbers both ways', () => {
    for (const d of ['float32', 'int8', 'uint8', 'int4', 'uint4', 'float8e4m3fn', 'bfloat16', 'float16', 'int64', 'bool'] as const) expect(dtypeFromOnnx(onnxCode(d))).toBe(d);
    expect(onnxCode('int4')).toBe(22);
    expect(() => dtypeFromOnnx(99)).toThrow(/unsupported ONNX element type 99/);
  });

  it('converts float16 with round-to-nearest-even, subnormals and overflow', () => {
    expect(float32ToFloat16(1)).toBe(0x3c00);
    expect(float32ToFloat16(65504)).toBe(0x7bff);
    expect(float32ToFloat16(1e6)).toBe(0x7c00);
    expect(float16ToFloat32(0x0001)).toBeCloseTo(5.960464477539063e-8, 20);
    expect(float32ToFloat16(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    for (const v of [0.1, -3.5, 1234.5, 6e-5]) expect(Math.abs(float16ToFloat32(float32ToFloat16(v)) - v) / Math.abs(v)).toBeLessThan(1e-3);
  });

  it('converts bfloat16 and float8 e4m3fn (saturating at 448)', () => {
    expect(bfloat16ToFloat32(float32ToBfloat16(1.5))).toBe(1.5);
    expect(float8e4m3fnToFloat32(float32ToFloat8e4m3fn(448))).toBe(448);
    expect(float8e4m3fnToFloat32(float32ToFloat8e4m3fn(1000))).toBe(448);
    expect(float8e4m3fnToFloat32(float32ToFloat8e4m3fn(-0.3))).toBeCloseTo(-0.3125, 6);
    expect(Number.isNaN(float8e4m3fnToFloat32(0x7f))).toBe(true);
  });

  it('reads and writes int4 elements through get/set and int64 through numbers', () => {
    const t = Tensor.zeros('uint4', [4]);
    [1, 15, 0, 9].forEach((v, i) => t.set(i, v));
    expect(t.toNumbers()).toEqual([1, 15, 0, 9]);
    expect(Tensor.int64([5, -2]).toNumbers()).toEqual([5, -2]);
    expect(() => Tensor.fromFloat32(new Float32Array(3), [2, 2])).toThrow(/does not fit/);
  });
});
