import { describe, expect, it } from 'vitest';
import { createGraph, createModel, type Model, type Node } from '../ir/graph.js';
import { Tensor } from '../ir/tensor.js';
import type { Annotation } from '../annotate/annotation.js';
import { planQuantization } from '../plan/planQuantization.js';
import type { QParams } from '../plan/qparams.js';
import { quantSpec, PER_TENSOR } from '../spec/quantSpec.js';
import { expectQtkError } from '../test-support/expectQtkError.js';
import { writeQdq } from './qdq.js';

const fp8Spec = quantSpec({ dtype: 'float8e4m3fn', symmetric: true, granularity: PER_TENSOR, observer: { kind: 'minmax' } });

/** x → Conv(w, b) → y at `opset`, with an extra default-domain node `extra` after it when given. */
function convModel(opset: number, extra?: string): { m: Model; conv: Node } {
  const g = createGraph('g');
  g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [1, 1, 2, 2] } });
  g.initializers.set('w', new Tensor('float32', Float32Array.of(0.5, -17, 3, 1000), [2, 2, 1, 1]));
  g.initializers.set('b', new Tensor('float32', Float32Array.of(0.1, 0.2), [2]));
  const conv: Node = { name: 'conv', opType: 'Conv', domain: '', inputs: ['x', 'w', 'b'], outputs: ['y'], attributes: [] };
  g.nodes.push(conv);
  g.outputs.push({ name: 'y' });
  if (extra) {
    g.nodes.push({ name: 'extra', opType: extra, domain: '', inputs: ['y'], outputs: ['z'], attributes: [] });
    g.outputs.push({ name: 'z' });
  }
  return { m: createModel(g, opset), conv };
}

/** FP8 annotation of the Conv: x per tensor, w per output channel, b as bias. */
function annotation(conv: Node): Annotation {
  return {
    tensors: new Map([
      ['x', { kind: 'activation', spec: fp8Spec }],
      ['w', { kind: 'weight', spec: quantSpec({ ...fp8Spec, granularity: { kind: 'perAxis', axis: 0 } }) }],
      ['b', { kind: 'bias', input: 'x', weight: 'w', axis: 0 }],
    ]),
    quantized: new Set([conv]), fused: new Set(), float: [],
  };
}

const xq: QParams = { scale: Float32Array.of(0.01), zeroPoint: Int32Array.of(0), dtype: 'float8e4m3fn' };

describe('writeQdq with float8e4m3fn parameters', () => {
  it('raises an opset-17 model to 19 (IR 9) and writes float8 weights, float8 zero points and per-channel scales amax / 448', () => {
    const { m, conv } = convModel(17);
    const plan = planQuantization(m.graph, annotation(conv), new Map([['x', xq]]));
    writeQdq(m, plan);
    expect(m.opsetImports.get('')).toBe(19);
    expect(m.irVersion).toBe(9);
    const wdq = m.graph.nodes.find((n) => n.opType === 'DequantizeLinear' && n.outputs[0] === conv.inputs[1])!;
    const wq = m.graph.initializers.get(wdq.inputs[0]!)!;
    expect(wq.dtype).toBe('float8e4m3fn');
    const scale = m.graph.initializers.get(wdq.inputs[1]!)!;
    expect(scale.toNumbers()).toEqual([Math.fround(17 / 448), Math.fround(1000 / 448)]);
    // -17 / (17 / 448) = -448 and 1000 → 448: each channel's amax lands on the largest float8 value.
    expect(wq.toNumbers()[1]).toBe(-448);
    expect(wq.toNumbers()[3]).toBe(448);
    for (const n of m.graph.nodes.filter((k) => k.opType === 'QuantizeLinear' || k.opType === 'DequantizeLinear')) {
      const zp = m.graph.initializers.get(n.inputs[2]!)!;
      expect(zp.dtype).toBe('float8e4m3fn');
      expect([...(zp.data as Uint8Array)].every((b) => b === 0)).toBe(true);
    }
  });

  it('leaves the bias float beside a float8 input and weight, with the reason in the plan', () => {
    const { m, conv } = convModel(19);
    const plan = planQuantization(m.graph, annotation(conv), new Map([['x', xq]]));
    expect(plan.tensors.has('b')).toBe(false);
    expect(plan.float.find((f) => f.tensor === 'b')?.reason).toContain('float8');
    writeQdq(m, plan);
    expect(conv.inputs[2]).toBe('b');
    expect(m.graph.initializers.get('b')!.dtype).toBe('float32');
  });

  it('keeps opset 21 as it is', () => {
    const { m, conv } = convModel(21);
    writeQdq(m, planQuantization(m.graph, annotation(conv), new Map([['x', xq]])));
    expect(m.opsetImports.get('')).toBe(21);
  });

  it('refuses with E_UNSUPPORTED, model unchanged, an opset-13 model holding Split (its meaning changes at 18) and an opset-11 model', () => {
    for (const [opset, extra, part] of [[13, 'Split', 'Split (changed at opset 18)'], [11, undefined, 'opset 11 < 13']] as const) {
      const { m, conv } = convModel(opset, extra);
      const plan = planQuantization(m.graph, annotation(conv), new Map([['x', xq]]));
      const err = expectQtkError(() => writeQdq(m, plan), 'E_UNSUPPORTED', part);
      expect(err.message).toContain('opset 19');
      expect(m.opsetImports.get('')).toBe(opset);
      expect(m.graph.nodes.length).toBe(extra ? 2 : 1);
    }
  });
});
