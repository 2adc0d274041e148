/**
 * Static QDQ quantization of small graphs exercising each op family, run in onnxruntime-node:
 * the quantized model loads and runs, each op is reported as quantized, value-moving ops
 * keep their input's scale (so onnxruntime can run them on integers), and the output stays
 * close to float (SQNR). Then a BERT-like encoder and MobileNetV2, before/after counts.
 */
import { describe, expect, it } from 'vitest';
import { quantizeModel, Tensor, type Model, type Node, type QuantizeOptions, type QuantizeReport } from '@qtk/core';
import { ortNode } from './node.js';
import { randomTensor } from './test-support/random.js';
import { GraphBuilder, buildBertEncoder, buildMobileNetV2 } from '@qtk/models';
import { runOnce } from './test-support/session.js';
import { onnxruntimeBackend } from './policy.js';

/** Signal-to-quantization-noise ratio of `test` against `ref`, in dB. */
function sqnrDb(ref: Tensor, test: Tensor): number {
  const a = ref.data as Float32Array;
  const b = test.data as Float32Array;
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < a.length; i++) {
    signal += a[i]! * a[i]!;
    noise += (a[i]! - b[i]!) ** 2;
  }
  return 10 * Math.log10(signal / Math.max(noise, 1e-30));
}

/** Quantizes `model` (input 'x' of `dims`) on 8 seeded batches; returns the result and the SQNR of `output` on another batch. */
async function quantizeAndCompare(model: Model, dims: number[], output = 'y', options: QuantizeOptions = {}) {
  const calibration = [1, 2, 3, 4, 5, 6, 7, 8].map((s) => ({ x: randomTensor(dims, s) }));
  const { model: q, report } = await quantizeModel(model, options, { backend: onnxruntimeBackend, executor: ortNode, calibration });
  const probe = { x: randomTensor(dims, 1234) };
  const [ref, got] = [await runOnce(model, probe), await runOnce(q, probe)];
  const sqnr = sqnrDb(ref[output]!, got[output]!);
  console.info(`${model.graph.name}: ${report.quantized.length} quantized, ${report.float.length} float, output SQNR ${sqnr.toFixed(1)} dB`);
  return { q, report, sqnr, ref, got };
}

const quantizedNames = (r: QuantizeReport) => r.quantized.map((n) => n.name);
const producerOf = (m: Model, v: string): Node | undefined => m.graph.nodes.find((n) => n.outputs.includes(v));
const consumersOf = (m: Model, v: string): Node[] => m.graph.nodes.filter((n) => n.inputs.includes(v));
const scalar = (m: Model, name: string) => m.graph.initializers.get(name)!.toFloat32()[0];

/**
 * Scale of the DequantizeLinear feeding `node`'s first input and of the QuantizeLinear reading
 * output `k`; equal values mean the output shares the input's parameters.
 */
function inOutScales(m: Model, nodeName: string, k = 0): { input: number | undefined; output: number | undefined } {
  const node = m.graph.nodes.find((n) => n.name === nodeName)!;
  const dq = producerOf(m, node.inputs[0]!);
  const q = consumersOf(m, node.outputs[k]!).find((n) => n.opType === 'QuantizeLinear');
  return { input: dq?.opType === 'DequantizeLinear' ? scalar(m, dq.inputs[1]!) : undefined, output: q ? scalar(m, q.inputs[1]!) : undefined };
}

/** A k×k Conv with seeded Kaiming weights and a small bias. */
function conv(b: GraphBuilder, x: string, name: string, inCh: number, outCh: number, k = 1): string {
  const w = b.kaiming(`${name}.weight`, [outCh, inCh, k, k], inCh * k * k);
  const bias = b.initializer(`${name}.bias`, Tensor.fromFloat32(b.rng.normalArray(outCh, 0, 0.05), [outCh]));
  return b.conv(x, `/${name}`, w, bias, { kernel: k, pad: (k - 1) / 2 });
}

/** Conv → Slice → Tile → DepthToSpace → SpaceToDepth → Pad(0) → Resize(nearest) → ReduceMax → Expand → Split → Gather, Concat → MaxPool → Conv. */
function layoutModel(): Model {
  const b = new GraphBuilder('layout', 1);
  const x = b.input('x', 'float32', [1, 8, 8, 8]);
  const c = conv(b, x, 'conv1', 8, 8, 3);
  const i64 = (name: string, v: number[]) => b.initializer(name, Tensor.int64(v));
  const s = b.op('Slice', [c, i64('starts', [0]), i64('ends', [4]), i64('axes', [1])], { name: 'slice' });
  const t = b.op('Tile', [s, i64('repeats', [1, 2, 1, 1])], { name: 'tile' });
  const d = b.op('DepthToSpace', [t], { name: 'd2s', attrs: { blocksize: 2 } });
  const e = b.op('SpaceToDepth', [d], { name: 's2d', attrs: { blocksize: 2 } });
  const p = b.op('Pad', [e, i64('pads', [0, 0, 1, 1, 0, 0, 1, 1])], { name: 'pad' });
  const r = b.op('Resize', [p, '', b.initializer('scales', Tensor.fromFloat32(Float32Array.from([1, 1, 2, 2]), [4]))], { name: 'resize', attrs: { mode: 'nearest' } });
  const m = b.op('ReduceMax', [r], { name: 'reducemax', attrs: { axes: [1], keepdims: 1 } });
  const ex = b.op('Expand', [m, i64('shape', [1, 4, 20, 20])], { name: 'expand' });
  const [lo, hi] = b.node('Split', [ex, i64('split', [2, 2])], { name: 'split', attrs: { axis: 1 }, outputs: 2 }) as [string, string];
  const g = b.op('Gather', [lo, i64('idx', [1, 0])], { name: 'gather', attrs: { axis: 1 } });
  const cat = b.op('Concat', [g, hi], { name: 'concat', attrs: { axis: 1 } });
  const mp = b.op('MaxPool', [cat], { name: 'maxpool', attrs: { kernel_shape: [2, 2], strides: [2, 2] } });
  b.node('Conv', [mp, b.kaiming('conv2.weight', [4, 4, 1, 1], 4)], { name: 'conv2', outputs: ['y'] });
  b.output('y', 'float32', [1, 4, 10, 10]);
  return b.model(17);
}

/** One Conv feeding Sigmoid, LeakyRelu, HardSwish, HardSigmoid, Tanh, Softmax, Relu and Clip(-1, 1), concatenated and mixed by a 1x1 Conv. */
function activationModel(): Model {
  const b = new GraphBuilder('activations', 2);
  const x = b.input('x', 'float32', [1, 8, 6, 6]);
  const c = conv(b, x, 'conv1', 8, 8, 3);
  const acts = [
    b.op('Sigmoid', [c], { name: 'sigmoid' }),
    b.op('LeakyRelu', [c], { name: 'leakyrelu', attrs: { alpha: { kind: 'float', value: 0.1 } } }),
    b.op('HardSwish', [c], { name: 'hardswish' }),
    b.op('HardSigmoid', [c], { name: 'hardsigmoid' }),
    b.op('Tanh', [c], { name: 'tanh' }),
    b.op('Softmax', [c], { name: 'softmax', attrs: { axis: 1 } }),
    b.op('Relu', [c], { name: 'relu' }),
    b.op('Clip', [c, b.scalar(-1), b.scalar(1)], { name: 'clip' }),
  ];
  const cat = b.op('Concat', acts, { name: 'concat', attrs: { axis: 1 } });
  b.node('Conv', [cat, b.kaiming('mix.weight', [8, 64, 1, 1], 64)], { name: 'mix', outputs: ['y'] });
  b.output('y', 'float32', [1, 8, 6, 6]);
  return b.model(17);
}

/** Conv → Gelu (opset 20) → Conv. */
function geluModel(): Model {
  const b = new GraphBuilder('gelu', 3);
  const x = b.input('x', 'float32', [1, 8, 6, 6]);
  const g = b.op('Gelu', [conv(b, x, 'conv1', 8, 8, 3)], { name: 'gelu' });
  b.node('Conv', [g, b.kaiming('conv2.weight', [8, 8, 1, 1], 8)], { name: 'conv2', outputs: ['y'] });
  b.output('y', 'float32', [1, 8, 6, 6]);
  return b.model(20);
}

/** Conv → LayerNormalization → InstanceNormalization → Relu, Conv; Where(Conv > 0, Conv, Relu) → Conv. */
function normWhereModel(): Model {
  const b = new GraphBuilder('norm', 4);
  const x = b.input('x', 'float32', [1, 8, 8, 8]);
  const c = conv(b, x, 'conv1', 8, 8, 3);
  const vec = (name: string, mean: number) => b.initializer(name, Tensor.fromFloat32(b.rng.normalArray(8, mean, 0.1), [8]));
  const ln = b.op('LayerNormalization', [c, vec('ln.weight', 1), vec('ln.bias', 0)], { name: 'layernorm', attrs: { axis: -1, epsilon: { kind: 'float', value: 1e-5 } } });
  const inorm = b.op('InstanceNormalization', [ln, vec('in.weight', 1), vec('in.bias', 0)], { name: 'instancenorm' });
  const r = b.op('Relu', [inorm], { name: 'relu' });
  const c2 = conv(b, r, 'conv2', 8, 8, 1);
  const cond = b.op('Greater', [c2, b.scalar(0)], { name: 'greater' });
  const w = b.op('Where', [cond, c2, r], { name: 'where' });
  b.node('Conv', [w, b.kaiming('conv3.weight', [8, 8, 1, 1], 8)], { name: 'conv3', outputs: ['y'] });
  b.output('y', 'float32', [1, 8, 8, 8]);
  return b.model(17);
}

/** Gemm(transB=1) → Gemm(transB=0) → MatMul(h, hᵀ) → Softmax → MatMul(P, h): two-activation MatMuls as in attention. */
function gemmAttentionModel(): Model {
  const b = new GraphBuilder('gemm', 5);
  const x = b.input('x', 'float32', [8, 16]);
  const bias = (name: string, n: number) => b.initializer(name, Tensor.fromFloat32(b.rng.normalArray(n, 0, 0.05), [n]));
  const h1 = b.op('Gemm', [x, b.kaiming('fc1.weight', [32, 16], 16), bias('fc1.bias', 32)], { name: 'gemm_transB', attrs: { transB: 1 } });
  const h = b.op('Gemm', [h1, b.kaiming('fc2.weight', [32, 16], 32), bias('fc2.bias', 16)], { name: 'gemm_plain' });
  const ht = b.op('Transpose', [h], { name: 'transpose', attrs: { perm: [1, 0] } });
  const scores = b.op('MatMul', [h, ht], { name: 'scores' });
  const probs = b.op('Softmax', [scores], { name: 'softmax', attrs: { axis: -1 } });
  b.node('MatMul', [probs, h], { name: 'context', outputs: ['y'] });
  b.output('y', 'float32', [8, 16]);
  return b.model(17);
}

/** Conv → Pad(reflect) → Pad(constant 3) → Resize(linear) → Resize(cubic) → Conv. */
function padResizeModel(): Model {
  const b = new GraphBuilder('padresize', 6);
  const x = b.input('x', 'float32', [1, 4, 6, 6]);
  const c = conv(b, x, 'conv1', 4, 4, 3);
  const pads = b.initializer('pads', Tensor.int64([0, 0, 1, 1, 0, 0, 1, 1]));
  const p1 = b.op('Pad', [c, pads], { name: 'pad_reflect', attrs: { mode: 'reflect' } });
  const p2 = b.op('Pad', [p1, pads, b.scalar(3)], { name: 'pad_three' });
  const scales = b.initializer('scales', Tensor.fromFloat32(Float32Array.from([1, 1, 2, 2]), [4]));
  const r1 = b.op('Resize', [p2, '', scales], { name: 'resize_linear', attrs: { mode: 'linear' } });
  const r2 = b.op('Resize', [r1, '', scales], { name: 'resize_cubic', attrs: { mode: 'cubic' } });
  b.node('Conv', [r2, b.kaiming('conv2.weight', [4, 4, 1, 1], 4)], { name: 'conv2', outputs: ['y'] });
  b.output('y', 'float32', [1, 4, 40, 40]);
  return b.model(17);
}

/** Gemm → ArgMax, TopK(3) values, ReduceMin. */
function selectModel(): Model {
  const b = new GraphBuilder('select', 7);
  const x = b.input('x', 'float32', [16, 12]);
  const h = b.linear(x, '/fc', 'fc', 12, 10);
  b.node('ArgMax', [h], { name: 'argmax', attrs: { axis: 1, keepdims: 0 }, outputs: ['idx'] });
  b.node('TopK', [h, b.initializer('k', Tensor.int64([3]))], { name: 'topk', outputs: ['y', 'topi'] });
  b.node('ReduceMin', [h], { name: 'reducemin', attrs: { axes: [1], keepdims: 0 }, outputs: ['m'] });
  b.output('idx', 'int64', [16]);
  b.output('y', 'float32', [16, 3]);
  b.output('topi', 'int64', [16, 3]);
  b.output('m', 'float32', [16]);
  return b.model(17);
}

/** Conv → ConvTranspose(stride 2) → ConvTranspose(group 2), each with a bias. */
function convTransposeModel(): Model {
  const b = new GraphBuilder('convtranspose', 8);
  const x = b.input('x', 'float32', [1, 4, 6, 6]);
  const c = conv(b, x, 'conv1', 4, 8, 3);
  const bias = (name: string, n: number) => b.initializer(name, Tensor.fromFloat32(b.rng.normalArray(n, 0, 0.05), [n]));
  const up = b.op('ConvTranspose', [c, b.kaiming('up.weight', [8, 4, 2, 2], 8), bias('up.bias', 4)], { name: 'up', attrs: { kernel_shape: [2, 2], strides: [2, 2] } });
  b.node('ConvTranspose', [up, b.kaiming('grouped.weight', [4, 2, 3, 3], 18), bias('grouped.bias', 4)], { name: 'grouped', attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], group: 2 }, outputs: ['y'] });
  b.output('y', 'float32', [1, 4, 12, 12]);
  return b.model(17);
}

describe('static QDQ quantization per op family in onnxruntime-node', () => {
  it('ConvTranspose gets weights per output channel (axis 1) and an int32 bias; with group 2 the bias stays float; SQNR > 25 dB', async () => {
    const { q, report, sqnr } = await quantizeAndCompare(convTransposeModel(), [1, 4, 6, 6]);
    expect(quantizedNames(report)).toEqual(expect.arrayContaining(['up', 'grouped']));
    const up = q.graph.nodes.find((n) => n.name === 'up')!;
    expect(producerOf(q, up.inputs[1]!)!.attributes.find((a) => a.name === 'axis')?.value).toEqual({ kind: 'int', value: 1 });
    expect(q.graph.initializers.get(producerOf(q, up.inputs[2]!)!.inputs[0]!)!.dtype).toBe('int32');
    const grouped = q.graph.nodes.find((n) => n.name === 'grouped')!;
    expect(grouped.inputs[2]).toBe('grouped.bias');
    expect(q.graph.initializers.get('grouped.bias')!.dtype).toBe('float32');
    expect(sqnr).toBeGreaterThan(25);
  });

  it('layout ops (Slice, Tile, DepthToSpace, SpaceToDepth, Pad, Resize, ReduceMax, Expand, Split, Gather, MaxPool) keep the input scale; Concat and both Convs quantized; SQNR > 30 dB', async () => {
    const { q, report, sqnr } = await quantizeAndCompare(layoutModel(), [1, 8, 8, 8]);
    const shared = ['slice', 'tile', 'd2s', 's2d', 'pad', 'resize', 'reducemax', 'expand', 'gather', 'maxpool'];
    expect(quantizedNames(report)).toEqual(expect.arrayContaining([...shared, 'split', 'concat', '/conv1/Conv', 'conv2']));
    expect(report.float).toEqual([]);
    for (const n of shared) {
      const s = inOutScales(q, n);
      expect(s.input, n).toBeGreaterThan(0);
      expect(s.output, n).toBe(s.input);
    }
    for (const k of [0, 1]) expect(inOutScales(q, 'split', k).output).toBe(inOutScales(q, 'split', k).input);
    expect(sqnr).toBeGreaterThan(30);
  });

  it('activations (Sigmoid, LeakyRelu, HardSwish, HardSigmoid, Tanh, Softmax, unfused Relu, Clip(-1,1)) get their own ranges; SQNR > 25 dB', async () => {
    const { q, report, sqnr } = await quantizeAndCompare(activationModel(), [1, 8, 6, 6]);
    const acts = ['sigmoid', 'leakyrelu', 'hardswish', 'hardsigmoid', 'tanh', 'softmax', 'relu', 'clip'];
    expect(quantizedNames(report)).toEqual(expect.arrayContaining([...acts, 'concat', 'mix']));
    for (const n of acts) {
      const s = inOutScales(q, n);
      expect(s.output, n).toBeGreaterThan(0);
      expect(s.output, n).not.toBe(s.input);
    }
    expect(sqnr).toBeGreaterThan(25);
  });

  it('Gelu (opset 20) after a quantized Conv runs between Q/DQ pairs; SQNR > 25 dB', async () => {
    const { report, sqnr } = await quantizeAndCompare(geluModel(), [1, 8, 6, 6]);
    expect(quantizedNames(report)).toContain('gelu');
    expect(sqnr).toBeGreaterThan(25);
  });

  it('LayerNormalization and InstanceNormalization (with folded Relu) and Where are quantized, their scale/bias stay float; SQNR > 25 dB', async () => {
    const { q, report, sqnr } = await quantizeAndCompare(normWhereModel(), [1, 8, 8, 8]);
    expect(quantizedNames(report)).toEqual(expect.arrayContaining(['layernorm', 'instancenorm', 'relu', 'where']));
    for (const p of ['ln.weight', 'ln.bias', 'in.weight', 'in.bias']) expect(q.graph.initializers.get(p)?.dtype).toBe('float32');
    const where = q.graph.nodes.find((n) => n.name === 'where')!;
    expect(producerOf(q, where.inputs[0]!)!.opType).toBe('Greater');
    expect(producerOf(q, where.inputs[1]!)!.opType).toBe('DequantizeLinear');
    expect(producerOf(q, where.inputs[2]!)!.opType).toBe('DequantizeLinear');
    expect(sqnr).toBeGreaterThan(25);
  });

  it('Gemm with transB=1 and transB=0 gets per-channel weights and an int32 bias; MatMul of two activations quantizes both; SQNR > 25 dB', async () => {
    const { q, report, sqnr } = await quantizeAndCompare(gemmAttentionModel(), [8, 16]);
    expect(quantizedNames(report)).toEqual(expect.arrayContaining(['gemm_transB', 'gemm_plain', 'transpose', 'scores', 'softmax', 'context']));
    for (const [name, axis] of [['gemm_transB', 0], ['gemm_plain', 1]] as const) {
      const g = q.graph.nodes.find((n) => n.name === name)!;
      const wdq = producerOf(q, g.inputs[1]!)!;
      expect(wdq.attributes.find((a) => a.name === 'axis')?.value).toEqual({ kind: 'int', value: axis });
      const bdq = producerOf(q, g.inputs[2]!)!;
      expect(bdq.opType).toBe('DequantizeLinear');
      expect(q.graph.initializers.get(bdq.inputs[0]!)!.dtype).toBe('int32');
    }
    for (const name of ['scores', 'context']) {
      const mm = q.graph.nodes.find((n) => n.name === name)!;
      expect(mm.inputs.map((i) => producerOf(q, i)?.opType)).toEqual(['DequantizeLinear', 'DequantizeLinear']);
    }
    expect(sqnr).toBeGreaterThan(25);
  });

  it('Pad reflect shares the input scale, Pad with value 3 and cubic Resize get their own, linear Resize shares; SQNR > 25 dB', async () => {
    const { q, report, sqnr } = await quantizeAndCompare(padResizeModel(), [1, 4, 6, 6]);
    expect(quantizedNames(report)).toEqual(expect.arrayContaining(['pad_reflect', 'pad_three', 'resize_linear', 'resize_cubic']));
    const same = (n: string) => { const s = inOutScales(q, n); return s.input === s.output; };
    expect([same('pad_reflect'), same('pad_three'), same('resize_linear'), same('resize_cubic')]).toEqual([true, false, true, false]);
    expect(sqnr).toBeGreaterThan(25);
  });

  it('ArgMax, TopK and ReduceMin after a quantized Gemm run quantized; TopK values keep SQNR > 25 dB and ArgMax agrees on most rows', async () => {
    const { report, sqnr, ref, got } = await quantizeAndCompare(selectModel(), [16, 12]);
    expect(quantizedNames(report)).toEqual(expect.arrayContaining(['argmax', 'topk', 'reducemin']));
    expect(sqnr).toBeGreaterThan(25);
    expect(sqnrDb(ref.m!, got.m!)).toBeGreaterThan(25);
    const a = ref.idx!.data as BigInt64Array;
    const b = got.idx!.data as BigInt64Array;
    expect(a.filter((v, i) => v === b[i]).length).toBeGreaterThanOrEqual(14);
  });
});

/** The op types the static handlers covered before the per-op-family rules (for before/after counts). */
const EARLIER_OP_TYPES = ['Conv', 'ConvTranspose', 'Gemm', 'MatMul', 'Add', 'Mul', 'AveragePool', 'GlobalAveragePool', 'Reshape', 'Transpose', 'Flatten', 'Squeeze', 'Unsqueeze', 'MaxPool', 'GlobalMaxPool'];

describe('whole models quantize with more nodes than before', () => {
  it('a 2-layer BERT-like encoder quantizes LayerNorm, Softmax and the embedding Gathers; SQNR > 22 dB', async () => {
    const model = buildBertEncoder({ layers: 2, hidden: 64, heads: 4, intermediate: 128, vocab: 100, maxPosition: 64 });
    const feed = (seed: number) => {
      let s = seed;
      const ids = new BigInt64Array(32).map(() => BigInt((s = (s * 1103515245 + 12345) >>> 0) % 100));
      return { input_ids: new Tensor('int64', ids, [2, 16]), attention_mask: new Tensor('int64', new BigInt64Array(32).fill(1n), [2, 16]) };
    };
    const calibration = [1, 2, 3, 4].map(feed);
    const quantize = (o: QuantizeOptions) => quantizeModel(model, o, { backend: onnxruntimeBackend, executor: ortNode, calibration });
    const before = (await quantize({ opTypes: EARLIER_OP_TYPES })).report;
    const { model: q, report } = await quantize({});
    const probe = feed(99);
    const sqnr = sqnrDb((await runOnce(model, probe)).last_hidden_state!, (await runOnce(q, probe)).last_hidden_state!);
    console.info(`BERT-like encoder: ${before.quantized.length} → ${report.quantized.length} quantized nodes, ${report.float.length} float, output SQNR ${sqnr.toFixed(1)} dB`);
    expect(report.quantized.length).toBeGreaterThan(before.quantized.length);
    const ops = new Set(report.quantized.map((n) => n.opType));
    for (const op of ['LayerNormalization', 'Softmax', 'Gather', 'MatMul']) expect(ops.has(op), op).toBe(true);
    expect(sqnr).toBeGreaterThan(22);
  });

  it('MobileNetV2 keeps every node quantized (none float) and output SQNR > 22 dB', async () => {
    const model = buildMobileNetV2({ seed: 0 });
    const calibration = [1, 2].map((s) => ({ input: randomTensor([2, 3, 224, 224], s) }));
    const quantize = (o: QuantizeOptions) => quantizeModel(model, o, { backend: onnxruntimeBackend, executor: ortNode, calibration });
    const before = (await quantize({ opTypes: EARLIER_OP_TYPES })).report;
    const { model: q, report } = await quantize({});
    const probe = { input: randomTensor([1, 3, 224, 224], 99) };
    const sqnr = sqnrDb((await runOnce(model, probe)).output!, (await runOnce(q, probe)).output!);
    console.info(`MobileNetV2: ${before.quantized.length} → ${report.quantized.length} quantized nodes, ${report.float.length} float, output SQNR ${sqnr.toFixed(1)} dB`);
    expect(report.quantized.length).toBeGreaterThanOrEqual(before.quantized.length);
    expect(report.float).toEqual([]);
    expect(sqnr).toBeGreaterThan(22);
  });
});
