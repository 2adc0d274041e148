/** TensorRT's Q/DQ parser constraints on hand-made models: each bad model names its node and tensor. */
import { describe, expect, it } from 'vitest';
import { isQtkError, quantizeModel, Tensor, type Model } from '@qtk/core';
import { GraphBuilder } from '@qtk/models';
import { randomTensor } from '@qtk/core/testing';
import { ortNode } from '@qtk/onnxruntime/node';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';
import { tensorrtProblems } from './tensorrtProblems.js';
import { validateTensorrt } from './validateTensorrt.js';

/** x [1, 8, 4, 4] → QuantizeLinear 'q_x' → DequantizeLinear 'dq_x' → Conv 'conv' with a weight behind 'dq_w' → y. */
function qdqConv(o: { zeroPoint?: Tensor | null; scale?: Tensor; weightAxis?: number; weightScale?: Tensor } = {}): Model {
  const b = new GraphBuilder('hand_made', 7);
  const x = b.input('x', 'float32', [1, 8, 4, 4]);
  const s = b.initializer('x_scale', o.scale ?? Tensor.scalar('float32', 0.02));
  const zp = o.zeroPoint === null ? undefined : b.initializer('x_zero_point', o.zeroPoint ?? Tensor.scalar('int8', 0));
  const q = b.op('QuantizeLinear', zp ? [x, s, zp] : [x, s], { name: 'q_x', outputs: ['x_q'] });
  const dq = b.op('DequantizeLinear', zp ? [q, s, zp] : [q, s], { name: 'dq_x', outputs: ['x_dq'] });
  const w = b.initializer('w_q', new Tensor('int8', new Int8Array(16 * 8 * 9).fill(3), [16, 8, 3, 3]));
  const ws = b.initializer('w_scale', o.weightScale ?? Tensor.fromFloat32(new Float32Array(16).fill(0.01), [16]));
  const wz = b.initializer('w_zero_point', Tensor.zeros('int8', [o.weightScale?.size ?? 16]));
  const wdq = b.op('DequantizeLinear', [w, ws, wz], { name: 'dq_w', attrs: { axis: o.weightAxis ?? 0 }, outputs: ['w_dq'] });
  b.op('Conv', [dq, wdq], { name: 'conv', attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, outputs: ['y'] });
  b.output('y', 'float32', [1, 16, 4, 4]);
  return b.model(17);
}

describe('tensorrtProblems', () => {
  it('finds nothing in a symmetric int8 Q/DQ Conv with a per-output-channel weight scale', () => {
    expect(tensorrtProblems(qdqConv())).toEqual([]);
  });

  it('an asymmetric activation (zero point 3) is a problem naming both Q/DQ nodes and the zero-point tensor', () => {
    const problems = tensorrtProblems(qdqConv({ zeroPoint: Tensor.scalar('int8', 3) }));
    expect(problems.map((p) => [p.node, p.tensor])).toEqual([['q_x', 'x_zero_point'], ['dq_x', 'x_zero_point']]);
    expect(problems[0]!.message).toMatch(/QuantizeLinear 'q_x': zero point 'x_zero_point' has 1 non-zero value\(s\) \(first: 3 at index 0\); TensorRT takes symmetric quantization only/);
  });

  it('validateTensorrt throws E_UNSUPPORTED listing every problem, with the first node and tensor as where', () => {
    let error: unknown;
    try {
      validateTensorrt(qdqConv({ zeroPoint: Tensor.scalar('int8', 3) }));
    } catch (e) {
      error = e;
    }
    expect(isQtkError(error, 'E_UNSUPPORTED')).toBe(true);
    const e = error as Error & { where: object };
    expect(e.message).toMatch(/^2 Q\/DQ problems for TensorRT:\n- QuantizeLinear 'q_x': zero point .*\n- DequantizeLinear 'dq_x': zero point/);
    expect(e.where).toEqual({ node: 'q_x', tensor: 'x_zero_point' });
    expect(() => validateTensorrt(qdqConv())).not.toThrow();
  });

  it('uint8 Q/DQ and a QuantizeLinear without zero point (uint8 output) are rejected as types TensorRT does not take', () => {
    const u8 = tensorrtProblems(qdqConv({ zeroPoint: Tensor.scalar('uint8', 0) }));
    expect(u8.map((p) => p.node)).toEqual(['q_x', 'dq_x']);
    expect(u8[0]!.message).toMatch(/quantized type is uint8; TensorRT takes int8, float8e4m3fn, int4/);
    const none = tensorrtProblems(qdqConv({ zeroPoint: null }));
    expect(none[0]!.message).toMatch(/QuantizeLinear 'q_x': quantized type is uint8 \(no zero point given\)/);
  });

  it('a zero or negative scale, and a scale computed at run time, are problems naming the scale tensor', () => {
    const bad = tensorrtProblems(qdqConv({ scale: Tensor.scalar('float32', 0) }));
    expect(bad[0]).toMatchObject({ node: 'q_x', tensor: 'x_scale' });
    expect(bad[0]!.message).toMatch(/not positive and finite \(first: 0 at index 0\)/);
    const m = qdqConv();
    const q = m.graph.nodes.find((n) => n.name === 'q_x')!;
    m.graph.nodes.unshift({ name: 'scale_of_x', opType: 'ReduceMax', domain: '', inputs: ['x'], outputs: ['dyn_scale'], attributes: [{ name: 'keepdims', value: { kind: 'int', value: 0 } }] });
    q.inputs[1] = 'dyn_scale';
    expect(tensorrtProblems(m).find((p) => p.node === 'q_x')?.message).toMatch(/scale 'dyn_scale' is computed at run time/);
  });

  it('a per-channel weight scale along the input-channel axis of a Conv is a problem naming the weight and the Conv', () => {
    const problems = tensorrtProblems(qdqConv({ weightAxis: 1, weightScale: Tensor.fromFloat32(new Float32Array(8).fill(0.01), [8]) }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ node: 'dq_w', tensor: 'w_q' });
    expect(problems[0]!.message).toMatch(/per-channel axis 1 of weight 'w_q' read by Conv 'conv', whose output channels are on axis 0/);
  });

  it("onnxruntime's default output (uint8 asymmetric activations, int32 biases) fails, naming the nodes", async () => {
    const b = new GraphBuilder('conv_relu', 8);
    const x = b.input('x', 'float32', [1, 8, 8, 8]);
    const w = b.kaiming('conv.weight', [16, 8, 3, 3], 72);
    const bias = b.initializer('conv.bias', Tensor.fromFloat32(new Float32Array(16).fill(0.1), [16]));
    b.op('Relu', [b.conv(x, '/conv', w, bias, { kernel: 3, pad: 1 })], { name: '/relu/Relu', outputs: ['y'] });
    b.output('y', 'float32', [1, 16, 8, 8]);
    const { model } = await quantizeModel(b.model(17), {}, { backend: onnxruntimeBackend, executor: ortNode, calibration: [{ x: randomTensor([1, 8, 8, 8], 1) }] });
    const messages = tensorrtProblems(model).map((p) => p.message);
    expect(messages.some((m) => /quantized type is uint8/.test(m))).toBe(true);
    expect(messages.some((m) => /int32 \(a quantized bias\)/.test(m))).toBe(true);
  });
});
