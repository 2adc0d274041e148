import { describe, expect, it } from 'vitest';
import { cloneModel, convertToQdq, createGraph, createModel, quantSpec, PER_TENSOR, Tensor, type Annotation, type Model, type QParams } from '@qtk/core';
import { convertQdqToQOperator } from './index.js';

/**
 * x → Conv(w, bias) → c → Identity → y with input scale 0.5 and int8 weight scale 0.125
 * (absmax 15.9375 over 255 / 2): bias scale 0.0625, and the bias values sit on ties
 * (2.5, 3.5 and -2.5 times the scale).
 */
function tiedBiasConv(): { model: Model; annotation: Annotation; activations: Map<string, QParams> } {
  const g = createGraph('g');
  g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [1, 1, 2, 2] } });
  g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: [1, 3, 2, 2] } });
  g.initializers.set('w', new Tensor('float32', Float32Array.from([15.9375, 1, -2]), [3, 1, 1, 1]));
  g.initializers.set('bias', new Tensor('float32', Float32Array.from([0.15625, 0.21875, -0.15625]), [3]));
  g.nodes.push({ name: 'conv', opType: 'Conv', domain: '', inputs: ['x', 'w', 'bias'], outputs: ['c'], attributes: [] });
  g.nodes.push({ name: 'id', opType: 'Identity', domain: '', inputs: ['c'], outputs: ['y'], attributes: [] });
  const model = createModel(g, 17);
  const weightSpec = quantSpec({ dtype: 'int8', symmetric: true, granularity: PER_TENSOR, observer: { kind: 'minmax' } });
  const actSpec = quantSpec({ dtype: 'uint8', symmetric: false, granularity: PER_TENSOR, observer: { kind: 'minmax' } });
  const annotation: Annotation = {
    tensors: new Map([
      ['x', { kind: 'activation', spec: actSpec }],
      ['w', { kind: 'weight', spec: weightSpec }],
      ['bias', { kind: 'bias', input: 'x', weight: 'w', axis: 0 }],
      ['c', { kind: 'activation', spec: actSpec }],
    ]),
    quantized: new Set([g.nodes[0]!]), fused: new Set(), float: [],
  };
  const u8 = (scale: number): QParams => ({ scale: Float32Array.of(scale), zeroPoint: Int32Array.of(128), dtype: 'uint8' });
  return { model, annotation, activations: new Map([['x', u8(0.5)], ['c', u8(0.25)]]) };
}

/** The int32 bias QLinearConv reads in a QOperator model. */
function qlinearConvBias(m: Model): number[] {
  const conv = m.graph.nodes.find((n) => n.opType === 'QLinearConv');
  expect(conv, 'a QLinearConv').toBeDefined();
  const t = m.graph.initializers.get(conv!.inputs[8]!)!;
  expect(t.dtype).toBe('int32');
  return t.toNumbers();
}

describe('bias quantization in QDQ and QOperator conversion', () => {
  it('QDQ writes the tied bias rounded half to even: [2, 4, -2] at scale 0.0625', () => {
    const { model, annotation, activations } = tiedBiasConv();
    convertToQdq(model, annotation, activations);
    expect(model.graph.initializers.get('bias_scale')!.toNumbers()).toEqual([0.0625]);
    expect(model.graph.initializers.get('bias_quantized')!.toNumbers()).toEqual([2, 4, -2]);
  });

  it('QOperator gives the same int32 bias whether it takes the QDQ int32 bias or quantizes the float bias itself', () => {
    const { model, annotation, activations } = tiedBiasConv();
    convertToQdq(model, annotation, activations);
    const fromQdq = cloneModel(model);
    convertQdqToQOperator(fromQdq);
    // The same QDQ model with the Conv reading the float bias: QOperator quantizes it.
    const fromFloat = cloneModel(model);
    const conv = fromFloat.graph.nodes.find((n) => n.opType === 'Conv')!;
    conv.inputs[2] = 'float_bias';
    fromFloat.graph.initializers.set('float_bias', new Tensor('float32', Float32Array.from([0.15625, 0.21875, -0.15625]), [3]));
    convertQdqToQOperator(fromFloat);
    expect(qlinearConvBias(fromQdq)).toEqual([2, 4, -2]);
    expect(qlinearConvBias(fromFloat)).toEqual([2, 4, -2]);
  });
});
