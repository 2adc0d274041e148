import { describe, expect, it } from 'vitest';
import { createGraph, createModel, type Model, type Node } from '../ir/graph.js';
import { Tensor } from '../ir/tensor.js';
import type { QParams } from '../plan/qparams.js';
import type { PlannedTensor, QuantPlan } from '../plan/quantPlan.js';
import type { QdqDialect } from './qdqDialect.js';
import { writeQdq } from './qdq.js';

const u8 = (scale: number, zp: number): QParams => ({ scale: Float32Array.of(scale), zeroPoint: Int32Array.of(zp), dtype: 'uint8' });

/** x → Conv(w, b) → c → MaxPool → p → Relu → y; w is also read by a float Identity → wcopy (graph output). */
function model(): { m: Model; conv: Node } {
  const g = createGraph('g');
  g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [1, 1, 2, 2] } });
  g.initializers.set('w', new Tensor('float32', Float32Array.from([0.5, -0.25]), [2, 1, 1, 1]));
  g.initializers.set('b', new Tensor('float32', Float32Array.from([0.1, 0.2]), [2]));
  const conv: Node = { name: 'conv', opType: 'Conv', domain: '', inputs: ['x', 'w', 'b'], outputs: ['c'], attributes: [] };
  g.nodes.push(conv);
  g.nodes.push({ name: 'pool', opType: 'MaxPool', domain: '', inputs: ['c'], outputs: ['p'], attributes: [] });
  g.nodes.push({ name: 'relu', opType: 'Relu', domain: '', inputs: ['p'], outputs: ['y'], attributes: [] });
  g.nodes.push({ name: 'copy', opType: 'Identity', domain: '', inputs: ['w'], outputs: ['wcopy'], attributes: [] });
  g.outputs.push({ name: 'y' }, { name: 'wcopy' });
  return { m: createModel(g, 17), conv };
}

/** A hand-built plan: x and c activations, w per-channel int8, b int32 at 0.5 × w scale, p shared with c. */
function plan(conv: Node): QuantPlan {
  const w: QParams = { scale: Float32Array.of(0.5 / 127, 0.25 / 127), zeroPoint: new Int32Array(2), dtype: 'int8', axis: 0 };
  const tensors = new Map<string, PlannedTensor>([
    ['x', { role: 'activation', qparams: u8(0.5, 128) }],
    ['w', { role: 'weight', qparams: w }],
    ['b', { role: 'bias', input: 'x', weight: 'w', qparams: { scale: Float32Array.of(0.002, 0.001), zeroPoint: new Int32Array(2), dtype: 'int32', axis: 0 }, values: Int32Array.of(50, 200) }],
    ['c', { role: 'activation', qparams: u8(0.25, 3) }],
    ['p', { role: 'shared', source: 'c', qparams: u8(0.25, 3) }],
  ]);
  return { tensors, quantizedNodes: new Set([conv]), float: [] };
}

const producerOf = (m: Model, v: string) => m.graph.nodes.find((n) => n.outputs.includes(v));

describe('writeQdq (standard QDQ writer)', () => {
  it('puts QuantizeLinear → DequantizeLinear right after each activation producer with the planned scale and zero point', () => {
    const { m, conv } = model();
    writeQdq(m, plan(conv));
    const ops = m.graph.nodes.map((n) => n.opType);
    // Constants' DQ (weight, then bias) and the graph input's Q/DQ go to the front, in plan order.
    expect(ops).toEqual(['DequantizeLinear', 'QuantizeLinear', 'DequantizeLinear', 'DequantizeLinear', 'Conv', 'QuantizeLinear', 'DequantizeLinear', 'MaxPool', 'QuantizeLinear', 'DequantizeLinear', 'Relu', 'Identity']);
    const convDq = producerOf(m, conv.inputs[0]!)!;
    expect(convDq.opType).toBe('DequantizeLinear');
    expect(m.graph.initializers.get(convDq.inputs[1]!)!.toNumbers()).toEqual([0.5]);
    expect(m.graph.initializers.get(convDq.inputs[2]!)!.toNumbers()).toEqual([128]);
  });

  it('gives a shared tensor the parameters of its source (p reuses c: scale 0.25, zero point 3)', () => {
    const { m, conv } = model();
    writeQdq(m, plan(conv));
    const q = m.graph.nodes.find((n) => n.opType === 'QuantizeLinear' && n.inputs[0] === 'p')!;
    expect(m.graph.initializers.get(q.inputs[1]!)!.toNumbers()).toEqual([0.25]);
    expect(m.graph.initializers.get(q.inputs[2]!)!.toNumbers()).toEqual([3]);
  });

  it('writes the planned int32 bias behind a DequantizeLinear with axis 0 and no zero point', () => {
    const { m, conv } = model();
    writeQdq(m, plan(conv));
    const dq = producerOf(m, conv.inputs[2]!)!;
    expect(dq.inputs.length).toBe(2);
    expect(dq.attributes).toEqual([{ name: 'axis', value: { kind: 'int', value: 0 } }]);
    const q = m.graph.initializers.get(dq.inputs[0]!)!;
    expect(q.dtype).toBe('int32');
    expect(q.toNumbers()).toEqual([50, 200]);
    expect(m.graph.initializers.has('b')).toBe(false);
  });

  it('rewires only quantized readers of a weight and keeps the float weight for the float Identity', () => {
    const { m, conv } = model();
    writeQdq(m, plan(conv));
    expect(conv.inputs[1]).toBe('w_DequantizeLinear_Output');
    expect(m.graph.nodes.find((n) => n.name === 'copy')!.inputs).toEqual(['w']);
    expect(m.graph.initializers.get('w_quantized')!.toNumbers()).toEqual([127, -127]);
    expect(m.graph.initializers.has('w')).toBe(true);
  });

  it('writes no Q/DQ for a planned tensor nobody reads (a graph output keeps its float value)', () => {
    const { m, conv } = model();
    const p = plan(conv);
    (p.tensors as Map<string, PlannedTensor>).set('y', { role: 'activation', qparams: u8(0.1, 0) });
    writeQdq(m, p);
    expect(m.graph.nodes.some((n) => n.inputs[0] === 'y')).toBe(false);
    expect(producerOf(m, 'y')!.opType).toBe('Relu');
  });

  it('asks the dialect once for all uses (weights, then activations) and writes the domain it picks', () => {
    const { m, conv } = model();
    const seen: string[] = [];
    const dialect: QdqDialect = { name: 'test', prepare: (_m, uses) => { seen.push(...uses.map((u) => `${u.tensor}:${u.dtype}${u.perAxis ? ':axis' : ''}`)); }, domainOf: () => 'test.domain' };
    writeQdq(m, plan(conv), dialect);
    expect(seen).toEqual(['w:int8:axis', 'x:uint8', 'c:uint8']);
    expect(new Set(m.graph.nodes.filter((n) => n.opType.endsWith('Linear')).map((n) => n.domain))).toEqual(new Set(['test.domain']));
  });
});
