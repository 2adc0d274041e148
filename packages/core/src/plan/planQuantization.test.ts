import { describe, expect, it } from 'vitest';
import { createGraph, type Graph } from '../ir/graph.js';
import { Tensor } from '../ir/tensor.js';
import { quantSpec, PER_TENSOR, type QuantSpec } from '../spec/quantSpec.js';
import type { Annotation, TensorRole } from '../annotate/annotation.js';
import { planQuantization } from './planQuantization.js';
import type { QParams } from './qparams.js';

const int8PerChannel: QuantSpec = quantSpec({ dtype: 'int8', symmetric: true, narrowRange: true, granularity: { kind: 'perAxis', axis: 0 }, observer: { kind: 'minmax' } });
const uint8: QuantSpec = quantSpec({ dtype: 'uint8', symmetric: false, granularity: PER_TENSOR, observer: { kind: 'minmax' } });
const u8 = (scale: number, zp = 128): QParams => ({ scale: Float32Array.of(scale), zeroPoint: Int32Array.of(zp), dtype: 'uint8' });

/**
 * x → Conv(w [2,1,1,1], b [2]) → c → MaxPool → p → Reshape → r; w absmax per channel 1.27 and
 * 0.254, so int8 symmetric scales 0.01 and 0.002.
 */
function convGraph(bias: number[]): Graph {
  const g = createGraph('g');
  g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [1, 1, 2, 2] } });
  g.initializers.set('w', new Tensor('float32', Float32Array.from([1.27, -0.254]), [2, 1, 1, 1]));
  g.initializers.set('b', new Tensor('float32', Float32Array.from(bias), [2]));
  g.nodes.push({ name: 'conv', opType: 'Conv', domain: '', inputs: ['x', 'w', 'b'], outputs: ['c'], attributes: [] });
  g.nodes.push({ name: 'pool', opType: 'MaxPool', domain: '', inputs: ['c'], outputs: ['p'], attributes: [] });
  g.nodes.push({ name: 'reshape', opType: 'Reshape', domain: '', inputs: ['p', 'shape'], outputs: ['r'], attributes: [] });
  g.outputs.push({ name: 'r', type: { kind: 'tensor', dtype: 'float32' } });
  return g;
}

function annotation(g: Graph, extra: Array<[string, TensorRole]> = []): Annotation {
  return {
    tensors: new Map<string, TensorRole>([
      ['x', { kind: 'activation', spec: uint8 }],
      ['w', { kind: 'weight', spec: int8PerChannel }],
      ['b', { kind: 'bias', input: 'x', weight: 'w', axis: 0 }],
      ['c', { kind: 'activation', spec: uint8 }],
      ['p', { kind: 'shared', source: 'c' }],
      ['r', { kind: 'shared', source: 'p' }],
      ...extra,
    ]),
    quantized: new Set([g.nodes[0]!]), fused: new Set(), float: [],
  };
}

describe('planQuantization', () => {
  it('gives the weight per-channel int8 scales from its values (1.27 / 127, 0.254 / 127) with zero points 0', () => {
    const g = convGraph([0.1, -0.2]);
    const plan = planQuantization(g, annotation(g), new Map([['x', u8(0.5)], ['c', u8(0.25)]]));
    const w = plan.tensors.get('w')!;
    expect(w.role).toBe('weight');
    expect([...w.qparams.scale]).toEqual([Math.fround(Math.fround(1.27) / 127), Math.fround(Math.fround(0.254) / 127)]);
    expect([...w.qparams.zeroPoint]).toEqual([0, 0]);
    expect(w.qparams.axis).toBe(0);
  });

  it('resolves a chain of shared tensors (r → p → c) to the source activation and its parameters', () => {
    const g = convGraph([0.1, -0.2]);
    const plan = planQuantization(g, annotation(g), new Map([['x', u8(0.5)], ['c', u8(0.25, 3)]]));
    for (const v of ['p', 'r']) {
      const t = plan.tensors.get(v)!;
      expect(t.role).toBe('shared');
      expect(t.role === 'shared' && t.source).toBe('c');
      expect([...t.qparams.scale, ...t.qparams.zeroPoint]).toEqual([0.25, 3]);
    }
  });

  it('plans the bias as int32 at input scale × weight scale per channel, values rounded', () => {
    const g = convGraph([0.1, -0.2]);
    const plan = planQuantization(g, annotation(g), new Map([['x', u8(0.5)], ['c', u8(0.25)]]));
    const b = plan.tensors.get('b')!;
    expect(b.role).toBe('bias');
    const ws = plan.tensors.get('w')!.qparams.scale;
    const expected = [Math.fround(0.5 * ws[0]!), Math.fround(0.5 * ws[1]!)];
    expect([...b.qparams.scale]).toEqual(expected);
    expect(b.qparams.dtype).toBe('int32');
    expect(b.qparams.axis).toBe(0);
    expect(b.role === 'bias' && [...b.values]).toEqual([Math.round(0.1 / expected[0]!), Math.round(-0.2 / expected[1]!)]);
  });

  it('keeps a 16-bit bias that overflows int32 float with the reason, and plans its weight', () => {
    const g = convGraph([1e6, 1]);
    g.initializers.set('w', new Tensor('float32', Float32Array.from([1e-4, 1e-4]), [2, 1, 1, 1]));
    const ann = annotation(g);
    ann.tensors.set('w', { kind: 'weight', spec: quantSpec({ ...int8PerChannel, dtype: 'int16' }) });
    const x16: QParams = { scale: Float32Array.of(1e-5), zeroPoint: Int32Array.of(0), dtype: 'int16' };
    const plan = planQuantization(g, ann, new Map([['x', x16], ['c', u8(0.25)]]));
    expect(plan.tensors.has('b')).toBe(false);
    expect(plan.float).toContainEqual({ tensor: 'b', reason: 'int32 overflow at scale = input scale × weight scale' });
    expect(plan.tensors.get('w')?.role).toBe('weight');
  });

  it('raises a dead 8-bit weight channel scale so its bias fits int32 (floorScalesForBias) and keeps the bias quantized', () => {
    const g = convGraph([0.1, 3]);
    g.initializers.set('w', new Tensor('float32', Float32Array.from([1.27, 0]), [2, 1, 1, 1]));
    const plan = planQuantization(g, annotation(g), new Map([['x', u8(0.5)], ['c', u8(0.25)]]));
    const ws = plan.tensors.get('w')!.qparams.scale;
    expect(ws[1]).toBeGreaterThan(0);
    expect(plan.tensors.get('b')?.role).toBe('bias');
  });

  it('lists an activation without parameters as float, and the shared tensors and bias that depend on it', () => {
    const g = convGraph([0.1, -0.2]);
    const plan = planQuantization(g, annotation(g), new Map([['c', u8(0.25)]]));
    expect(plan.float).toContainEqual({ tensor: 'x', reason: 'no calibrated parameters' });
    expect(plan.float).toContainEqual({ tensor: 'b', reason: 'its input is not quantized' });
    expect(plan.tensors.has('x')).toBe(false);
    expect(plan.tensors.get('r')?.role).toBe('shared');
  });

  it('keeps a bias float beside a per-block weight', () => {
    const g = convGraph([0.1, -0.2]);
    const ann = annotation(g);
    ann.tensors.set('w', { kind: 'weight', spec: quantSpec({ ...int8PerChannel, granularity: { kind: 'perBlock', axis: 1, blockSize: 1 } }) });
    const plan = planQuantization(g, ann, new Map([['x', u8(0.5)], ['c', u8(0.25)]]));
    expect(plan.tensors.get('w')?.qparams.blockSize).toBe(1);
    expect(plan.float).toContainEqual({ tensor: 'b', reason: 'its weight is per-block (the bias scale would vary inside a channel)' });
  });

  it('leaves the graph as it was: same nodes, same initializers, same weight values', () => {
    const g = convGraph([0.1, -0.2]);
    const nodes = g.nodes.map((n) => ({ ...n, inputs: [...n.inputs] }));
    const w = g.initializers.get('w')!;
    planQuantization(g, annotation(g), new Map([['x', u8(0.5)], ['c', u8(0.25)]]));
    expect(g.nodes).toEqual(nodes);
    expect([...g.initializers.keys()]).toEqual(['w', 'b']);
    expect(g.initializers.get('w')).toBe(w);
    expect([...(w.data as Float32Array)]).toEqual([Math.fround(1.27), Math.fround(-0.254)]);
  });
});
