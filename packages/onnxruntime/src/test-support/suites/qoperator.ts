/**
 * onnxruntime's QOperator writer (QLinearConv, QGemm, ...) on quantized models and hand-built
 * QDQ graphs: structure and agreement with QDQ on the executor under test.
 */
import { expect } from 'vitest';
import { quantizeModel, cloneModel, Tensor, type Model } from '@qtk/core';
import {
  lazy, digitsRows, accuracy, loadDigits, digitsCalibration, randomTensor, type SuiteContext, type BuildOptions, type ModelBuilders,
} from '@qtk/core/testing';
import { convertQdqToQOperator, type QOperatorResult } from '../../writers/qoperator/index.js';
import { QdqGraphBuilder, type TestQParams } from '../../writers/qoperator/test-support/qdqGraph.js';

const count = (m: Model, op: string) => m.graph.nodes.filter((n) => n.opType === op).length;

/** Largest absolute difference between two float tensors of the same size. */
function maxAbsDiff(a: Tensor, b: Tensor): number {
  expect(b.dims).toEqual(a.dims);
  const x = a.data as Float32Array;
  const y = b.data as Float32Array;
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return d;
}

/** One 8-bit step over the value range of a float tensor: (max - min) / 255. */
function step8(t: Tensor): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of t.data as Float32Array) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  return (hi - lo) / 255;
}

/** Quantizes `model` to QDQ, copies it and converts the copy to QOperator form. */
async function bothForms({ backend, executor }: SuiteContext, model: Model, calibration: Iterable<Record<string, Tensor>>): Promise<{ qdq: Model; qop: Model; result: QOperatorResult }> {
  const { model: qdq } = await quantizeModel(model, {}, { backend, executor, calibration });
  const qop = cloneModel(qdq);
  const result = convertQdqToQOperator(qop);
  return { qdq, qop, result };
}

/** Registers the qoperator suite (onnxruntime's QOperator writer). */
export function qoperatorSuite(t: SuiteContext): void {
  t.describe('QOperator form of the digits CNN', (s) => digits(s));
  for (const [name, build, expected] of WHOLE_MODELS) t.describe(`QOperator form of ${name} (64×64 input)`, (s) => wholeModel(s, build, expected));
  for (const dtype of ['uint8', 'int8'] as const) {
    t.describe(`QOperator form of hand-built ${dtype} QDQ branches (Sigmoid, LeakyRelu, pools, Concat, Mul, Add, Softmax, value moves, MatMul)`, (s) => handBuilt(s, dtype));
  }
  t.describe('QOperator form of an opset-11 model with com.microsoft Q/DQ', (s) => opset11(s));
}

function digits(s: SuiteContext): void {
  const setup = lazy(async () => {
    const { data, model } = await loadDigits(s.fixtures);
    return { ...(await bothForms(s, model, digitsCalibration(data))), ...digitsRows(data, 1297, 1797) };
  });

  s.it('turns every Conv into QLinearConv and both Gemm into QGemm, keeping one QuantizeLinear at the input and no DequantizeLinear', async () => {
    const { qop, result } = await setup();
    expect(result.kept).toEqual([]);
    expect(count(qop, 'QLinearConv')).toBe(3);
    expect(count(qop, 'QGemm')).toBe(2);
    expect(count(qop, 'Conv') + count(qop, 'Gemm') + count(qop, 'Relu')).toBe(0);
    expect(count(qop, 'QuantizeLinear')).toBe(1);
    expect(count(qop, 'DequantizeLinear')).toBe(0);
  });

  s.it('gives the same logits as the QDQ model within two 8-bit steps', async () => {
    const { qdq, qop, x } = await setup();
    const a = (await s.run(qdq, { input: x })).logits!;
    const b = (await s.run(qop, { input: x })).logits!;
    expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(2 * step8(a));
  });

  s.it('keeps the QDQ test accuracy (0.996 on the bundled test set)', async () => {
    const { qdq, qop, x, y } = await setup();
    const accQdq = accuracy((await s.run(qdq, { input: x })).logits!, y);
    const accQop = accuracy((await s.run(qop, { input: x })).logits!, y);
    expect(accQop).toBeGreaterThanOrEqual(0.994);
    expect(accQop).toBe(accQdq);
  });
}

const SIZE_64: BuildOptions = { seed: 1, imageSize: 64, numClasses: 100 };
/** Whole models, their builder and the QOperator op counts expected. */
const WHOLE_MODELS: ReadonlyArray<readonly [string, (m: ModelBuilders) => Model, Record<string, number>]> = [
  ['ResNet18', (m) => m.resnet18(SIZE_64), { QLinearConv: 20, QLinearAdd: 8, QGemm: 1, MaxPool: 1 }],
  ['MobileNetV2', (m) => m.mobileNetV2(SIZE_64), { QLinearConv: 52, QLinearAdd: 10, QGemm: 1 }],
];

function wholeModel(s: SuiteContext, build: (m: ModelBuilders) => Model, expected: Record<string, number>): void {
  const input = randomTensor([2, 3, 64, 64], 99);
  const calib = Array.from({ length: 4 }, (_, i) => ({ input: randomTensor([1, 3, 64, 64], i + 1) }));
  const forms = lazy(() => bothForms(s, build(s.fixtures.models), calib));

  s.it(`converts every quantized node (${Object.entries(expected).map(([k, v]) => `${v} ${k}`).join(', ')}) and keeps none in QDQ`, async () => {
    const { qop, result } = await forms();
    expect(result.kept).toEqual([]);
    for (const [op, n] of Object.entries(expected)) expect(count(qop, op)).toBe(n);
    expect(count(qop, 'Conv') + count(qop, 'Add') + count(qop, 'Relu') + count(qop, 'Clip')).toBe(0);
    expect(count(qop, 'QuantizeLinear')).toBe(1);
  });

  s.it('agrees with the QDQ model within two 8-bit steps on a seeded input', async () => {
    const { qdq, qop } = await forms();
    const out = qdq.graph.outputs[0]!.name;
    const a = (await s.run(qdq, { input }))[out]!;
    const b = (await s.run(qop, { input }))[out]!;
    expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(2 * step8(a));
  });
}

/**
 * A hand-built QDQ graph over x [1,4,8,8] with one branch per op family the default
 * pipeline does not quantize yet: each branch ends in DequantizeLinear → graph output.
 */
function mixedQdq(dtype: 'uint8' | 'int8'): { model: Model; scales: Map<string, number> } {
  const b = new QdqGraphBuilder(17);
  const zp = (u: number) => (dtype === 'uint8' ? u : u - 128);
  const p = (scale: number, uZp: number): TestQParams => ({ scale, zeroPoint: zp(uZp), dtype });
  const scales = new Map<string, number>();
  const x = b.qdq(b.input('x', [1, 4, 8, 8]), p(2 / 255, 128));
  const branch = (name: string, op: string, inputs: string[], q: TestQParams, attrs: Parameters<QdqGraphBuilder['node']>[3] = []) => {
    b.node(op, inputs, [name], attrs);
    const out = b.qdq(name, q);
    b.node('Identity', [out], [`${name}_out`]);
    b.output(`${name}_out`);
    scales.set(`${name}_out`, q.scale as number);
    return out;
  };
  const ints = (name: string, v: number[]) => { b.graph.initializers.set(name, Tensor.int64(v)); return name; };
  const sig = branch('sig', 'Sigmoid', [x], p(1 / 255, 0));
  const leaky = branch('leaky', 'LeakyRelu', [x], p(1.2 / 255, 20), [{ name: 'alpha', value: { kind: 'float', value: 0.2 } }]);
  branch('avg', 'AveragePool', [x], p(1.5 / 255, 128), [{ name: 'kernel_shape', value: { kind: 'ints', value: [2, 2] } }, { name: 'strides', value: { kind: 'ints', value: [2, 2] } }]);
  branch('gap', 'GlobalAveragePool', [x], p(0.5 / 255, 128));
  branch('cat', 'Concat', [sig, leaky], p(1.3 / 255, 20), [{ name: 'axis', value: { kind: 'int', value: 1 } }]);
  branch('mul', 'Mul', [sig, leaky], p(1 / 255, 40));
  branch('add', 'Add', [sig, leaky], p(2.2 / 255, 20));
  branch('soft', 'Softmax', [x], p(1 / 256, 0), [{ name: 'axis', value: { kind: 'int', value: -1 } }]);
  b.constant('scales', [4], [1, 1, 2, 2]);
  branch('up', 'Resize', [x, '', 'scales'], p(2 / 255, 128), [{ name: 'mode', value: { kind: 'string', value: 'nearest' } }]);
  branch('pad', 'Pad', [x, ints('pads', [0, 0, 1, 1, 0, 0, 1, 1])], p(2 / 255, 128));
  branch('tr', 'Transpose', [x], p(2 / 255, 128), [{ name: 'perm', value: { kind: 'ints', value: [0, 2, 3, 1] } }]);
  branch('sl', 'Slice', [x, ints('starts', [2]), ints('ends', [6]), ints('axes', [3])], p(2 / 255, 128));
  branch('mp', 'MaxPool', [x], p(2 / 255, 128), [{ name: 'kernel_shape', value: { kind: 'ints', value: [2, 2] } }]);
  branch('gat', 'Gather', [x, ints('indices', [3, 0])], p(2 / 255, 128), [{ name: 'axis', value: { kind: 'int', value: 1 } }]);
  branch('fl', 'Flatten', [x], p(2 / 255, 128));
  branch('rs', 'Reshape', [x, ints('shape', [1, 16, 16])], p(2 / 255, 128));
  branch('usq', 'Unsqueeze', [x, ints('uaxes', [0])], p(2 / 255, 128));
  const w = b.weight('w', [8, 3], Array.from({ length: 24 }, (_, i) => ((i * 37) % 200) - 100), { scale: [0.01, 0.02, 0.015], zeroPoint: [0, 0, 0], dtype: 'int8', axis: 1 });
  branch('mm', 'MatMul', [x, w], p(3 / 255, 128));
  return { model: b.model(), scales };
}

function handBuilt(s: SuiteContext, dtype: 'uint8' | 'int8'): void {
  const { model: qdq, scales } = mixedQdq(dtype);
  const qop = cloneModel(qdq);
  const result = convertQdqToQOperator(qop);
  const input = randomTensor([1, 4, 8, 8], 7);

  s.it('converts every branch and keeps none', () => {
    expect(result.kept).toEqual([]);
    expect(result.converted.map((c) => c.as).sort()).toEqual([
      'Flatten', 'Gather', 'MaxPool', 'Pad', 'QLinearAdd', 'QLinearAveragePool', 'QLinearConcat', 'QLinearGlobalAveragePool', 'QLinearLeakyRelu',
      'QLinearMatMul', 'QLinearMul', 'QLinearSigmoid', 'QLinearSoftmax', 'Reshape', 'Resize', 'Slice', 'Transpose', 'Unsqueeze',
    ]);
    expect(count(qop, 'QuantizeLinear')).toBe(1);
  });

  s.it('matches the QDQ model within two steps of each output scale', async () => {
    const a = await s.run(qdq, { x: input });
    const b = await s.run(qop, { x: input });
    for (const [name, scale] of scales) {
      const d = maxAbsDiff(a[name]!, b[name]!);
      expect(d, name).toBeLessThanOrEqual(2 * scale + 1e-6);
    }
  });
}

function opset11(s: SuiteContext): void {
  const b = new QdqGraphBuilder(11, 'com.microsoft');
  const x = b.qdq(b.input('x', [1, 2, 6, 6]), { scale: 2 / 255, zeroPoint: 128, dtype: 'uint8' });
  const w = b.weight('w', [3, 2, 3, 3], Array.from({ length: 54 }, (_, i) => ((i * 29) % 120) - 60), { scale: [0.01, 0.012, 0.008], zeroPoint: [0, 0, 0], dtype: 'int8', axis: 0 });
  const bias = b.weight('bias', [3], [100, -50, 20], { scale: [0.01 * 2 / 255, 0.012 * 2 / 255, 0.008 * 2 / 255], zeroPoint: [0, 0, 0], dtype: 'int32', axis: 0 });
  b.node('Conv', [x, w, bias], ['c'], [{ name: 'pads', value: { kind: 'ints', value: [1, 1, 1, 1] } }]);
  b.node('Relu', ['c'], ['r']);
  const r = b.qdq('r', { scale: 3 / 255, zeroPoint: 0, dtype: 'uint8' });
  b.node('MaxPool', [r], ['m'], [{ name: 'kernel_shape', value: { kind: 'ints', value: [2, 2] } }]);
  const m = b.qdq('m', { scale: 3 / 255, zeroPoint: 0, dtype: 'uint8' });
  b.node('GlobalAveragePool', [m], ['g']);
  const g = b.qdq('g', { scale: 1 / 255, zeroPoint: 0, dtype: 'uint8' });
  b.node('Identity', [g], ['y']);
  b.output('y');
  const qdq = b.model();
  const qop = cloneModel(qdq);
  const result = convertQdqToQOperator(qop);

  s.it('rewrites Conv and GlobalAveragePool, keeps the 8-bit MaxPool opset 11 lacks in QDQ', () => {
    expect(result.converted.map((c) => c.as)).toEqual(['QLinearConv', 'QLinearGlobalAveragePool']);
    expect(result.kept).toEqual([expect.objectContaining({ opType: 'MaxPool' })]);
  });

  s.it('runs and matches the QDQ model within two output steps', async () => {
    const input = randomTensor([1, 2, 6, 6], 5);
    const a = (await s.run(qdq, { x: input })).y!;
    const c = (await s.run(qop, { x: input })).y!;
    expect(maxAbsDiff(a, c)).toBeLessThanOrEqual(2 / 255 + 1e-6);
  });
}
