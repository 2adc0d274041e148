import { type Attribute, type Model, type Node, intRange, Tensor } from '@qtk/core';
import { describe, expect, it } from 'vitest';
import { convertQdqToQOperator, QOPERATOR_RULES } from './index.js';
import { expectQtkError } from '../../../../core/src/test-support/expectQtkError.js';
import { QdqGraphBuilder, u8p, type TestQParams } from './test-support/qdqGraph.js';

const ops = (m: Model) => m.graph.nodes.map((n) => n.opType);
const only = (m: Model, op: string): Node => {
  const found = m.graph.nodes.filter((n) => n.opType === op);
  expect(found.length).toBe(1);
  return found[0]!;
};
const i8w = (scale: number | number[], axis?: number): TestQParams => ({ scale, zeroPoint: Array.isArray(scale) ? scale.map(() => 0) : 0, dtype: 'int8', axis });

/** x → Q/DQ → Conv(int8 per-channel weights, int32 bias) → Relu → Q/DQ → y. */
function convGraph(outZeroPoint?: number, act: TestQParams = u8p(0.02, 128)) {
  const b = new QdqGraphBuilder();
  const x = b.qdq(b.input('x', [1, 2, 4, 4]), act);
  const w = b.weight('w', [3, 2, 1, 1], [1, -2, 3, -4, 5, -6], i8w([0.01, 0.02, 0.03], 0));
  const bias = b.weight('bias', [3], [10, -20, 30], { scale: [0.0002, 0.0004, 0.0006], zeroPoint: [0, 0, 0], dtype: 'int32', axis: 0 });
  b.node('Conv', [x, w, bias], ['c'], [{ name: 'kernel_shape', value: { kind: 'ints', value: [1, 1] } }]);
  b.node('Relu', ['c'], ['r']);
  const y = b.qdq('r', { ...act, scale: 0.05, zeroPoint: outZeroPoint ?? intRange(act.dtype)[0] });
  b.node('Identity', [y], ['y']);
  b.output('y');
  return b.model();
}

describe('Conv → QLinearConv', () => {
  it('leaves no DequantizeLinear → Conv → QuantizeLinear and drops the Relu the range covers', () => {
    const m = convGraph();
    const r = convertQdqToQOperator(m);
    expect(r.converted).toEqual([{ name: 'conv_4', opType: 'Conv', as: 'QLinearConv' }]);
    expect(r.kept).toEqual([]);
    expect(ops(m)).toEqual(['QuantizeLinear', 'QLinearConv', 'DequantizeLinear', 'Identity']);
  });

  it('feeds QLinearConv x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, bias in that order with int8 per-channel weights', () => {
    const m = convGraph();
    convertQdqToQOperator(m);
    const c = only(m, 'QLinearConv');
    expect(c.inputs).toEqual(['x_q', 'x_scale', 'x_zero_point', 'w', 'w_scale', 'w_zero_point', 'r_scale', 'r_zero_point', 'bias']);
    expect(c.outputs).toEqual(['r_q']);
    expect(m.graph.initializers.get('w')!.dtype).toBe('int8');
    expect(m.graph.initializers.get('w_scale')!.dims).toEqual([3]);
    expect(m.graph.initializers.get('bias')!.dtype).toBe('int32');
    expect(c.attributes).toContainEqual({ name: 'kernel_shape', value: { kind: 'ints', value: [1, 1] } });
    expect(only(m, 'DequantizeLinear').inputs[0]).toBe('r_q');
  });

  it('drops the weight and bias DequantizeLinear nodes but keeps the initializers QLinearConv reads', () => {
    const m = convGraph();
    convertQdqToQOperator(m);
    expect(m.graph.initializers.has('w')).toBe(true);
    expect(m.graph.initializers.has('bias_scale')).toBe(false);
    expect(m.graph.nodes.some((n) => n.outputs.includes('w_dq'))).toBe(false);
  });

  it('requantizes a bias whose scale is not input scale × weight scale', () => {
    const b = new QdqGraphBuilder();
    const x = b.qdq(b.input('x', [1, 1, 2, 2]), u8p(0.5, 0));
    const w = b.weight('w', [1, 1, 1, 1], [2], i8w(0.25));
    const bias = b.weight('bias', [1], [100], { scale: 0.0625, zeroPoint: 0, dtype: 'int32' });
    b.node('Conv', [x, w, bias], ['c']);
    b.qdq('c', u8p(1, 0));
    b.node('Identity', ['c_dq'], ['y']);
    b.output('y');
    const m = b.model();
    convertQdqToQOperator(m);
    const biasName = only(m, 'QLinearConv').inputs[8]!;
    expect(biasName).not.toBe('bias');
    expect(m.graph.initializers.get(biasName)!.get(0)).toBe(50); // 100 × 0.0625 / (0.5 × 0.25)
  });

  it('quantizes a float constant bias to int32 at input scale × weight scale', () => {
    const b = new QdqGraphBuilder();
    const x = b.qdq(b.input('x', [1, 1, 2, 2]), u8p(0.5, 0));
    const w = b.weight('w', [2, 1, 1, 1], [2, 4], i8w([0.25, 0.125], 0));
    b.constant('bias', [2], [1, -1]);
    b.node('Conv', [x, w, 'bias'], ['c']);
    b.qdq('c', u8p(1, 0));
    b.output('c_dq');
    const m = b.model();
    convertQdqToQOperator(m);
    const q = m.graph.initializers.get(only(m, 'QLinearConv').inputs[8]!)!;
    expect(q.dtype).toBe('int32');
    expect(q.toNumbers()).toEqual([8, -16]); // 1 / (0.5 × 0.25), -1 / (0.5 × 0.125)
  });

  it('rewrites Conv between com.microsoft Q/DQ nodes (models before opset 13) and keeps MaxPool, which needs opset 12 for integers', () => {
    const b = new QdqGraphBuilder(11, 'com.microsoft');
    const x = b.qdq(b.input('x', [1, 1, 4, 4]), u8p(0.5, 0));
    const w = b.weight('w', [1, 1, 1, 1], [3], i8w([0.25], 0));
    b.node('Conv', [x, w], ['c']);
    const c = b.qdq('c', u8p(1, 0));
    b.node('MaxPool', [c], ['p'], [{ name: 'kernel_shape', value: { kind: 'ints', value: [2, 2] } }]);
    b.qdq('p', u8p(1, 0));
    b.output('p_dq');
    const m = b.model();
    const r = convertQdqToQOperator(m);
    expect(r.converted.map((n) => n.as)).toEqual(['QLinearConv']);
    expect(r.kept).toEqual([expect.objectContaining({ opType: 'MaxPool', reason: expect.stringContaining('opset 12') })]);
    expect(ops(m)).toEqual(['QuantizeLinear', 'QLinearConv', 'DequantizeLinear', 'MaxPool', 'QuantizeLinear', 'DequantizeLinear']);
    expect(m.graph.nodes.filter((n) => n.opType.endsWith('Linear')).every((n) => n.domain === 'com.microsoft')).toBe(true);
  });

  it('keeps QDQ and says why when the Relu clips inside the output range (zero point above the minimum)', () => {
    const m = convGraph(20);
    const r = convertQdqToQOperator(m);
    expect(r.converted).toEqual([]);
    expect(r.kept).toEqual([expect.objectContaining({ name: 'conv_4', opType: 'Conv', reason: expect.stringContaining('Relu') })]);
    expect(ops(m)).toContain('Conv');
  });

  it('keeps QDQ for int16 activations, which have no QLinear kernel', () => {
    const m = convGraph(undefined, { scale: 0.001, zeroPoint: 0, dtype: 'int16' });
    const r = convertQdqToQOperator(m);
    expect(r.kept[0]?.reason).toMatch(/int16.*uint8 or int8/);
    expect(ops(m)).toContain('Conv');
  });

  it('keeps QDQ for uint8 weights under int8 activations', () => {
    const b = new QdqGraphBuilder();
    const x = b.qdq(b.input('x', [1, 1, 2, 2]), { scale: 0.1, zeroPoint: 0, dtype: 'int8' });
    const w = b.weight('w', [1, 1, 1, 1], [2], u8p(0.1, 0));
    b.node('Conv', [x, w], ['c']);
    b.qdq('c', { scale: 0.1, zeroPoint: 0, dtype: 'int8' });
    b.output('c_dq');
    const r = convertQdqToQOperator(b.model());
    expect(r.kept[0]?.reason).toContain('int8 activations with uint8 weights');
  });
});

describe('MatMul, Gemm, Add, Mul, Concat, pools and table ops', () => {
  it('rewrites MatMul with per-column weights to QLinearMatMul', () => {
    const b = new QdqGraphBuilder();
    const a = b.qdq(b.input('a', [2, 2]), u8p(0.1, 128));
    const w = b.weight('w', [2, 2], [1, 2, 3, 4], i8w([0.1, 0.2], 1));
    b.node('MatMul', [a, w], ['m']);
    b.qdq('m', u8p(0.3, 128));
    b.output('m_dq');
    const m = b.model();
    convertQdqToQOperator(m);
    expect(only(m, 'QLinearMatMul').inputs).toEqual(['a_q', 'a_scale', 'a_zero_point', 'w', 'w_scale', 'w_zero_point', 'm_scale', 'm_zero_point']);
  });

  it('rewrites a Gemm whose float output is a graph output to com.microsoft QGemm writing float', () => {
    const b = new QdqGraphBuilder(13);
    const a = b.qdq(b.input('a', [1, 2]), u8p(0.1, 128));
    const w = b.weight('w', [3, 2], [1, 2, 3, 4, 5, 6], i8w([0.1, 0.2, 0.3], 0));
    const c = b.weight('c', [3], [7, 8, 9], { scale: [0.01, 0.02, 0.03], zeroPoint: [0, 0, 0], dtype: 'int32', axis: 0 });
    b.node('Gemm', [a, w, c], ['y'], [{ name: 'transB', value: { kind: 'int', value: 1 } }]);
    b.output('y');
    const m = b.model();
    const r = convertQdqToQOperator(m);
    expect(r.converted[0]).toMatchObject({ opType: 'Gemm', as: 'QGemm' });
    const g = only(m, 'QGemm');
    expect(g.domain).toBe('com.microsoft');
    expect(g.inputs).toEqual(['a_q', 'a_scale', 'a_zero_point', 'w', 'w_scale', 'w_zero_point', 'c']);
    expect(g.outputs).toEqual(['y']);
    expect(g.attributes).toContainEqual({ name: 'transB', value: { kind: 'int', value: 1 } });
    expect(m.opsetImports.get('com.microsoft')).toBe(1);
  });

  it('quantizes a float [1, N] Gemm bias into QGemm\'s int32 C and writes integers when a QuantizeLinear follows', () => {
    const b = new QdqGraphBuilder();
    const a = b.qdq(b.input('a', [1, 2]), u8p(0.5, 0));
    const w = b.weight('w', [2, 2], [1, 2, 3, 4], i8w([0.25, 0.5], 1));
    b.constant('c', [1, 2], [0.25, 1]);
    b.node('Gemm', [a, w, 'c'], ['y']);
    b.qdq('y', u8p(0.1, 0));
    b.output('y_dq');
    const m = b.model();
    convertQdqToQOperator(m);
    const g = only(m, 'QGemm');
    expect(g.inputs.slice(7)).toEqual(['y_scale', 'y_zero_point']);
    expect(g.outputs).toEqual(['y_q']);
    expect(m.graph.initializers.get(g.inputs[6]!)!.toNumbers()).toEqual([2, 4]);
  });

  it('keeps a Gemm whose weights are quantized along the reduced axis', () => {
    const b = new QdqGraphBuilder();
    const a = b.qdq(b.input('a', [1, 2]), u8p(0.1, 128));
    const w = b.weight('w', [2, 3], [1, 2, 3, 4, 5, 6], i8w([0.1, 0.2], 0));
    b.node('Gemm', [a, w], ['y']);
    b.output('y');
    expect(convertQdqToQOperator(b.model()).kept[0]?.reason).toContain('per-column');
  });

  it('rewrites Add with an int8 constant operand to QLinearAdd, storing the constant as uint8 shifted by 128', () => {
    const b = new QdqGraphBuilder();
    const a = b.qdq(b.input('a', [1, 3]), u8p(0.1, 100));
    const k = b.weight('k', [3], [-5, 0, 7], i8w(0.05));
    b.node('Add', [a, k], ['s']);
    b.qdq('s', u8p(0.2, 90));
    b.output('s_dq');
    const m = b.model();
    convertQdqToQOperator(m);
    const add = only(m, 'QLinearAdd');
    expect(add.domain).toBe('com.microsoft');
    expect(add.inputs.slice(0, 3)).toEqual(['a_q', 'a_scale', 'a_zero_point']);
    const kq = m.graph.initializers.get(add.inputs[3]!)!;
    expect(kq.dtype).toBe('uint8');
    expect(kq.toNumbers()).toEqual([123, 128, 135]);
    expect(m.graph.initializers.get(add.inputs[5]!)!.toNumbers()).toEqual([128]);
    expect(add.inputs.slice(6)).toEqual(['s_scale', 's_zero_point']);
  });

  it('rewrites Mul of two activations to QLinearMul', () => {
    const b = new QdqGraphBuilder();
    const a = b.qdq(b.input('a', [4]), u8p(0.1, 0));
    const c = b.qdq(b.input('c', [4]), u8p(0.2, 0));
    b.node('Mul', [a, c], ['p']);
    b.qdq('p', u8p(0.3, 0));
    b.output('p_dq');
    const m = b.model();
    convertQdqToQOperator(m);
    expect(only(m, 'QLinearMul').inputs).toEqual(['a_q', 'a_scale', 'a_zero_point', 'c_q', 'c_scale', 'c_zero_point', 'p_scale', 'p_zero_point']);
  });

  it('rewrites Concat of differently quantized inputs to QLinearConcat (output params first, then triples)', () => {
    const b = new QdqGraphBuilder();
    const a = b.qdq(b.input('a', [1, 2]), u8p(0.1, 0));
    const c = b.qdq(b.input('c', [1, 2]), u8p(0.2, 0));
    b.node('Concat', [a, c], ['k'], [{ name: 'axis', value: { kind: 'int', value: 1 } }]);
    b.qdq('k', u8p(0.2, 0));
    b.output('k_dq');
    const m = b.model();
    convertQdqToQOperator(m);
    const k = only(m, 'QLinearConcat');
    expect(k.inputs).toEqual(['k_scale', 'k_zero_point', 'a_q', 'a_scale', 'a_zero_point', 'c_q', 'c_scale', 'c_zero_point']);
    expect(k.attributes).toEqual([{ name: 'axis', value: { kind: 'int', value: 1 } }]);
  });

  it('concatenates the integers directly when every input shares the output parameters', () => {
    const b = new QdqGraphBuilder();
    const a = b.qdq(b.input('a', [1, 2]), u8p(0.1, 3));
    const c = b.qdq(b.input('c', [1, 2]), u8p(0.1, 3));
    b.node('Concat', [a, c], ['k'], [{ name: 'axis', value: { kind: 'int', value: 1 } }]);
    b.qdq('k', u8p(0.1, 3));
    b.output('k_dq');
    const m = b.model();
    convertQdqToQOperator(m);
    expect(only(m, 'Concat').inputs).toEqual(['a_q', 'c_q']);
  });

  it.each<[string, string, Attribute[], Attribute[]]>([
    ['GlobalAveragePool', 'QLinearGlobalAveragePool', [], [{ name: 'channels_last', value: { kind: 'int', value: 0 } }]],
    ['AveragePool', 'QLinearAveragePool', [{ name: 'kernel_shape', value: { kind: 'ints', value: [2, 2] } }],
      [{ name: 'kernel_shape', value: { kind: 'ints', value: [2, 2] } }, { name: 'channels_last', value: { kind: 'int', value: 0 } }]],
    ['Sigmoid', 'QLinearSigmoid', [], []],
    ['LeakyRelu', 'QLinearLeakyRelu', [{ name: 'alpha', value: { kind: 'float', value: 0.2 } }], [{ name: 'alpha', value: { kind: 'float', value: 0.2 } }]],
    ['Softmax', 'QLinearSoftmax', [], [{ name: 'axis', value: { kind: 'int', value: -1 } }, { name: 'opset', value: { kind: 'int', value: 17 } }]],
  ])('rewrites %s to com.microsoft %s with x, x_scale, x_zp, y_scale, y_zp', (op, qop, attrs, want) => {
    const b = new QdqGraphBuilder(17);
    const x = b.qdq(b.input('x', [1, 2, 4, 4]), u8p(0.1, 128));
    b.node(op, [x], ['o'], attrs);
    b.qdq('o', u8p(0.05, 10));
    b.output('o_dq');
    const m = b.model();
    const r = convertQdqToQOperator(m);
    expect(r.converted).toEqual([expect.objectContaining({ opType: op, as: qop })]);
    const n = only(m, qop);
    expect(n.domain).toBe('com.microsoft');
    expect(n.inputs).toEqual(['x_q', 'x_scale', 'x_zero_point', 'o_scale', 'o_zero_point']);
    expect(n.attributes).toEqual(want);
  });

  it('gives QLinearSoftmax the opset-12 default axis 1 and opset 12 in an opset-12 model', () => {
    const b = new QdqGraphBuilder(12);
    const x = b.qdq(b.input('x', [2, 5]), u8p(0.1, 128));
    b.node('Softmax', [x], ['o']);
    b.qdq('o', u8p(1 / 256, 0));
    b.output('o_dq');
    const m = b.model();
    convertQdqToQOperator(m);
    expect(only(m, 'QLinearSoftmax').attributes).toEqual([{ name: 'axis', value: { kind: 'int', value: 1 } }, { name: 'opset', value: { kind: 'int', value: 12 } }]);
  });

  it('lists a quantized op without QOperator form as kept', () => {
    const b = new QdqGraphBuilder();
    const x = b.qdq(b.input('x', [4]), u8p(0.1, 0));
    b.node('Softsign', [x], ['o']);
    b.qdq('o', u8p(0.1, 0));
    b.output('o_dq');
    expect(convertQdqToQOperator(b.model()).kept).toEqual([{ name: 'softsign_2', opType: 'Softsign', reason: 'no QOperator form for Softsign' }]);
  });
});

describe('value-moving ops on integers', () => {
  function moveGraph(op: string, extra: string[], attrs: Node['attributes'], outParams: TestQParams, opset = 17) {
    const b = new QdqGraphBuilder(opset);
    const x = b.qdq(b.input('x', [1, 2, 4, 4]), u8p(0.1, 7));
    b.node(op, [x, ...extra], ['o'], attrs);
    b.qdq('o', outParams);
    b.output('o_dq');
    return { b, m: b.model() };
  }

  it('runs Reshape on the integer tensor when input and output parameters are equal', () => {
    const { b, m } = moveGraph('Reshape', ['shape'], [], u8p(0.1, 7));
    b.graph.initializers.set('shape', Tensor.int64([1, 32]));
    const r = convertQdqToQOperator(m);
    expect(r.converted).toEqual([expect.objectContaining({ opType: 'Reshape', as: 'Reshape' })]);
    expect(ops(m)).toEqual(['QuantizeLinear', 'Reshape', 'DequantizeLinear']);
    expect(only(m, 'Reshape').inputs).toEqual(['x_q', 'shape']);
    expect(only(m, 'Reshape').outputs).toEqual(['o_q']);
  });

  it('splits the integer tensor, leaving an unread output as it is', () => {
    const b = new QdqGraphBuilder();
    const x = b.qdq(b.input('x', [1, 4]), u8p(0.1, 7));
    b.node('Split', [x], ['s0', 's1'], [{ name: 'axis', value: { kind: 'int', value: 1 } }, { name: 'num_outputs', value: { kind: 'int', value: 2 } }]);
    b.qdq('s0', u8p(0.1, 7));
    b.output('s0_dq');
    b.graph.valueInfo.set('s1', { name: 's1', type: { kind: 'tensor', dtype: 'float32' } });
    const m = b.model();
    const r = convertQdqToQOperator(m);
    expect(r.converted).toEqual([expect.objectContaining({ opType: 'Split', as: 'Split' })]);
    expect(only(m, 'Split').inputs).toEqual(['x_q']);
    expect(only(m, 'Split').outputs).toEqual(['s0_q', 's1']);
    expect(m.graph.valueInfo.has('s1')).toBe(false);
  });

  it('keeps QDQ around a Transpose of a per-axis quantized tensor', () => {
    const b = new QdqGraphBuilder();
    const w = b.weight('w', [2, 2], [1, 2, 3, 4], i8w([0.1, 0.2], 0));
    b.node('Transpose', [w], ['t']);
    b.qdq('t', i8w([0.1, 0.2], 0));
    b.output('t_dq');
    expect(convertQdqToQOperator(b.model()).kept[0]?.reason).toContain('per axis');
  });

  it('turns a standalone Relu between equal uint8 parameters with zero point 0 into an Identity on integers', () => {
    const b = new QdqGraphBuilder();
    const x = b.qdq(b.input('x', [4]), u8p(0.1, 0));
    b.node('Relu', [x], ['r']);
    b.qdq('r', u8p(0.1, 0));
    b.output('r_dq');
    const m = b.model();
    expect(convertQdqToQOperator(m).converted).toEqual([expect.objectContaining({ opType: 'Relu', as: 'Identity' })]);
    expect(only(m, 'Identity').inputs).toEqual(['x_q']);
  });

  it('keeps a standalone Relu whose range includes negatives', () => {
    const b = new QdqGraphBuilder();
    const x = b.qdq(b.input('x', [4]), u8p(0.1, 128));
    b.node('Relu', [x], ['r']);
    b.qdq('r', u8p(0.1, 128));
    b.output('r_dq');
    expect(convertQdqToQOperator(b.model()).kept[0]?.reason).toContain('clips inside the quantized range');
  });

  it('keeps QDQ around a Transpose whose output parameters differ from its input', () => {
    const { m } = moveGraph('Transpose', [], [], u8p(0.2, 7));
    const r = convertQdqToQOperator(m);
    expect(r.kept[0]?.reason).toContain('quantized unlike its input');
    expect(ops(m)).toContain('Transpose');
  });

  it('keeps QDQ around MaxPool in an opset-11 model (no 8-bit MaxPool before opset 12)', () => {
    const { m } = moveGraph('MaxPool', [], [{ name: 'kernel_shape', value: { kind: 'ints', value: [2, 2] } }], u8p(0.1, 7), 11);
    expect(convertQdqToQOperator(m).kept[0]?.reason).toContain('opset 12');
  });

  it('keeps QDQ around a linear Resize', () => {
    const { m } = moveGraph('Resize', ['', 'scales'], [{ name: 'mode', value: { kind: 'string', value: 'linear' } }], u8p(0.1, 7));
    m.graph.initializers.set('scales', new Tensor('float32', Float32Array.of(1, 1, 2, 2), [4]));
    expect(convertQdqToQOperator(m).kept[0]?.reason).toContain("mode 'linear'");
  });

  it('pads with the quantized fill value (the zero point for the default 0)', () => {
    const { m } = moveGraph('Pad', ['pads'], [], u8p(0.1, 7));
    m.graph.initializers.set('pads', Tensor.int64([0, 0, 1, 1, 0, 0, 1, 1]));
    convertQdqToQOperator(m);
    const pad = only(m, 'Pad');
    expect(pad.inputs.slice(0, 2)).toEqual(['x_q', 'pads']);
    const fill = m.graph.initializers.get(pad.inputs[2]!)!;
    expect(fill.dtype).toBe('uint8');
    expect(fill.toNumbers()).toEqual([7]);
  });
});

describe('rule sets', () => {
  it('refuses two rules for the same op type with E_OPTION naming the op', () => {
    const b = new QdqGraphBuilder();
    b.output(b.input('x', [1]));
    expectQtkError(() => convertQdqToQOperator(b.model(), [...QOPERATOR_RULES, QOPERATOR_RULES[0]!]), 'E_OPTION', "'Conv'");
  });

  it('leaves a float node alone and unlisted', () => {
    const b = new QdqGraphBuilder();
    b.node('Softsign', [b.input('x', [4])], ['y']);
    b.output('y');
    const m = b.model();
    expect(convertQdqToQOperator(m, [])).toEqual({ converted: [], kept: [] });
    expect(ops(m)).toEqual(['Softsign']);
  });
});
