import { describe, expect, it } from 'vitest';
import { createGraph, createModel, type Model } from '../ir/graph.js';
import { Tensor } from '../ir/tensor.js';
import { quantSpec, PER_TENSOR, type QuantSpec } from '../spec/quantSpec.js';
import type { Annotation } from '../annotate/annotation.js';
import { dequantizeTensor } from '../quant/quantize.js';
import { expectQtkError } from '../test-support/expectQtkError.js';
import { convertToQdq, weightQParams, type QParams } from './qdq.js';

const spec = (dtype: QuantSpec['dtype'], granularity: QuantSpec['granularity'], symmetric = true) =>
  quantSpec({ dtype, symmetric, granularity, observer: { kind: 'minmax' } });

/** x [1, 40] → MatMul(w [40, 3]) → y, with extra ops to decide whether the opset may move. */
function matmulModel(opset: number, extraOps: string[] = []): Model {
  const g = createGraph('g');
  g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [1, 40] } });
  g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: [1, 3] } });
  g.initializers.set('w', new Tensor('float32', Float32Array.from({ length: 120 }, (_, i) => Math.sin(i) * (1 + (i % 7))), [40, 3]));
  g.nodes.push({ name: 'mm', opType: 'MatMul', domain: '', inputs: ['x', 'w'], outputs: ['m'], attributes: [] });
  let last = 'm';
  extraOps.forEach((op, i) => {
    g.nodes.push({ name: `e${i}`, opType: op, domain: '', inputs: [last], outputs: [`e${i}`], attributes: [] });
    last = `e${i}`;
  });
  g.nodes.push({ name: 'id', opType: 'Identity', domain: '', inputs: [last], outputs: ['y'], attributes: [] });
  return createModel(g, opset);
}

function annotation(m: Model, w: QuantSpec, act: QuantSpec): Annotation {
  return {
    tensors: new Map([['x', { kind: 'activation', spec: act }], ['w', { kind: 'weight', spec: w }]]),
    quantized: new Set([m.graph.nodes[0]!]), fused: new Set(), float: [],
  };
}
const actParams = (dtype: QParams['dtype']): Map<string, QParams> => new Map([['x', { scale: Float32Array.of(0.01), zeroPoint: Int32Array.of(0), dtype }]]);

describe('weightQParams for per-block weights', () => {
  it('gives one scale per block of 16 along axis 0 with the tensor rank (dims [3, 3] for [40, 3])', () => {
    const w = matmulModel(21).graph.initializers.get('w')!;
    const qp = weightQParams(w, spec('int4', { kind: 'perBlock', axis: 0, blockSize: 16 }), 'w');
    expect(qp.paramDims).toEqual([3, 3]);
    expect(qp.scale.length).toBe(9);
    expect(qp.blockSize).toBe(16);
    // Block (1, 2) covers rows 16..31 of column 2: its scale is that block's absmax over 7.5.
    let absmax = 0;
    for (let k = 16; k < 32; k++) absmax = Math.max(absmax, Math.abs((w.data as Float32Array)[k * 3 + 2]!));
    expect(qp.scale[1 * 3 + 2]).toBeCloseTo((2 * absmax) / 15, 6);
  });

  it('throws E_OPTION naming the tensor for a block axis outside it', () => {
    const w = matmulModel(21).graph.initializers.get('w')!;
    expectQtkError(() => weightQParams(w, spec('int4', { kind: 'perBlock', axis: 2, blockSize: 16 }), 'w'), 'E_OPTION', "'w'");
  });
});

describe('convertToQdq with 16-bit and 4-bit types', () => {
  it('writes int16 activations and weights as ONNX Q/DQ at opset 17 by raising the opset to 21 (standard dialect)', () => {
    const m = matmulModel(17);
    convertToQdq(m, annotation(m, spec('int16', { kind: 'perAxis', axis: 1 }), spec('int16', PER_TENSOR)), actParams('int16'));
    const qdq = m.graph.nodes.filter((n) => n.opType === 'QuantizeLinear' || n.opType === 'DequantizeLinear');
    expect(qdq.length).toBe(3);
    for (const n of qdq) expect(n.domain).toBe('');
    expect(m.graph.initializers.get('w_quantized')!.dtype).toBe('int16');
    expect(m.opsetImports.get('')).toBe(21);
    expect(m.opsetImports.has('com.microsoft')).toBe(false);
  });

  it('refuses int16 at opset 17 beside Split (standard dialect), naming the tensor and the int16 need, and leaves the graph as it was', () => {
    const m = matmulModel(17, ['Split']);
    const before = m.graph.nodes.length;
    const e = expectQtkError(() => convertToQdq(m, annotation(m, spec('int16', { kind: 'perAxis', axis: 1 }), spec('int16', PER_TENSOR)), actParams('int16')), 'E_UNSUPPORTED', 'int16');
    expect(e.message).toContain('Split');
    expect(m.graph.nodes.length).toBe(before);
  });

  it('refuses per-axis weights below opset 13 (standard dialect) naming the tensor', () => {
    const m = matmulModel(11);
    expectQtkError(() => convertToQdq(m, annotation(m, spec('int8', { kind: 'perAxis', axis: 1 }), spec('uint8', PER_TENSOR, false)), actParams('uint8')), 'E_UNSUPPORTED', "'w'");
  });

  it('writes int8 as before: ONNX-domain Q/DQ with per-axis weights at opset 13', () => {
    const m = matmulModel(13);
    convertToQdq(m, annotation(m, spec('int8', { kind: 'perAxis', axis: 1 }), spec('uint8', PER_TENSOR, false)), actParams('uint8'));
    const dq = m.graph.nodes.find((n) => n.opType === 'DequantizeLinear' && n.inputs[0] === 'w_quantized')!;
    expect(dq.domain).toBe('');
    expect(dq.attributes).toEqual([{ name: 'axis', value: { kind: 'int', value: 1 } }]);
    expect(m.opsetImports.get('')).toBe(13);
  });

  it('raises opset 17 to 21 for int4 per-block weights and writes DequantizeLinear with axis and block_size', () => {
    const m = matmulModel(17, ['Relu']);
    const w = m.graph.initializers.get('w')!;
    convertToQdq(m, annotation(m, spec('int4', { kind: 'perBlock', axis: 0, blockSize: 16 }), spec('int16', PER_TENSOR)), actParams('int16'));
    expect(m.opsetImports.get('')).toBe(21);
    expect(m.irVersion).toBeGreaterThanOrEqual(10);
    const dq = m.graph.nodes.find((n) => n.opType === 'DequantizeLinear' && n.inputs[0] === 'w_quantized')!;
    expect(dq.domain).toBe('');
    expect(dq.attributes).toEqual([{ name: 'axis', value: { kind: 'int', value: 0 } }, { name: 'block_size', value: { kind: 'int', value: 16 } }]);
    const q = m.graph.initializers.get('w_quantized')!;
    const s = m.graph.initializers.get(dq.inputs[1]!)!;
    const z = m.graph.initializers.get(dq.inputs[2]!)!;
    expect(q.dtype).toBe('int4');
    expect(s.dims).toEqual([3, 3]);
    expect(z.dtype).toBe('int4');
    const back = dequantizeTensor(q, s.data as Float32Array, Int32Array.from(z.toNumbers()), { axis: 0, blockSize: 16 }).data as Float32Array;
    const src = w.data as Float32Array;
    for (let i = 0; i < src.length; i++) {
      const blockScale = (s.data as Float32Array)[Math.floor(Math.floor(i / 3) / 16) * 3 + (i % 3)]!;
      expect(Math.abs(back[i]! - src[i]!)).toBeLessThanOrEqual(blockScale / 2 + 1e-6);
    }
    // the activation pair moved to the ONNX domain along with the opset
    expect(m.graph.nodes.filter((n) => n.opType === 'QuantizeLinear').map((n) => n.domain)).toEqual(['']);
  });

  it('refuses per-block weights at opset 17 beside Split, naming the tensor, and leaves the graph as it was', () => {
    const m = matmulModel(17, ['Split']);
    const before = m.graph.nodes.length;
    expectQtkError(() => convertToQdq(m, annotation(m, spec('int4', { kind: 'perBlock', axis: 0, blockSize: 16 }), spec('uint8', PER_TENSOR, false)), actParams('uint8')), 'E_UNSUPPORTED', "'w'");
    expect(m.graph.nodes.length).toBe(before);
    expect(m.graph.initializers.has('w_quantized')).toBe(false);
  });
});
