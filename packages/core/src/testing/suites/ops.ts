/**
 * Static QDQ quantization of small graphs exercising each op family, run on the executor:
 * the quantized model loads and runs, each op is reported as quantized, value-moving ops
 * keep their input's scale (so a runtime can run them on integers), and the output stays
 * close to float (SQNR). Then a BERT-like encoder and MobileNetV2, before/after counts.
 */
import { expect } from 'vitest';
import { quantizeModel, type Model, type Node, type QuantizeOptions, type QuantizeReport, Tensor } from '../../index.js';
import type { SuiteContext } from '../context.js';
import { randomTensor } from '../random.js';
import { runOnce } from '../session.js';
import {
  layoutModel, activationModel, geluModel, normWhereModel, gemmAttentionModel, padResizeModel, selectModel, convTransposeModel,
} from './opFamilyModels.js';

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
async function quantizeAndCompare({ executor, backend }: SuiteContext, model: Model, dims: number[], output = 'y', options: QuantizeOptions = {}) {
  const calibration = [1, 2, 3, 4, 5, 6, 7, 8].map((s) => ({ x: randomTensor(dims, s) }));
  const { model: q, report } = await quantizeModel(model, options, { backend, executor, calibration });
  const probe = { x: randomTensor(dims, 1234) };
  const [ref, got] = [await runOnce(executor, model, probe), await runOnce(executor, q, probe)];
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

/** Registers the ops suite. */
export function opsSuite(t: SuiteContext): void {
  t.describe('static QDQ quantization per op family', (s) => opFamilies(s));
  t.describe('whole models quantize with more nodes than before', (s) => wholeModels(s));
}

function opFamilies(s: SuiteContext): void {
  const { fixtures: { models } } = s;
  s.it('ConvTranspose gets weights per output channel (axis 1) and an int32 bias; with group 2 the bias stays float; SQNR > 25 dB', async () => {
    const { q, report, sqnr } = await quantizeAndCompare(s, convTransposeModel(models), [1, 4, 6, 6]);
    expect(quantizedNames(report)).toEqual(expect.arrayContaining(['up', 'grouped']));
    const up = q.graph.nodes.find((n) => n.name === 'up')!;
    expect(producerOf(q, up.inputs[1]!)!.attributes.find((a) => a.name === 'axis')?.value).toEqual({ kind: 'int', value: 1 });
    expect(q.graph.initializers.get(producerOf(q, up.inputs[2]!)!.inputs[0]!)!.dtype).toBe('int32');
    const grouped = q.graph.nodes.find((n) => n.name === 'grouped')!;
    expect(grouped.inputs[2]).toBe('grouped.bias');
    expect(q.graph.initializers.get('grouped.bias')!.dtype).toBe('float32');
    expect(sqnr).toBeGreaterThan(25);
  });

  s.it('layout ops (Slice, Tile, DepthToSpace, SpaceToDepth, Pad, Resize, ReduceMax, Expand, Split, Gather, MaxPool) keep the input scale; Concat and both Convs quantized; SQNR > 30 dB', async () => {
    const { q, report, sqnr } = await quantizeAndCompare(s, layoutModel(models), [1, 8, 8, 8]);
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

  s.it('activations (Sigmoid, LeakyRelu, HardSwish, HardSigmoid, Tanh, Softmax, unfused Relu, Clip(-1,1)) get their own ranges; SQNR > 25 dB', async () => {
    const { q, report, sqnr } = await quantizeAndCompare(s, activationModel(models), [1, 8, 6, 6]);
    const acts = ['sigmoid', 'leakyrelu', 'hardswish', 'hardsigmoid', 'tanh', 'softmax', 'relu', 'clip'];
    expect(quantizedNames(report)).toEqual(expect.arrayContaining([...acts, 'concat', 'mix']));
    for (const n of acts) {
      const s = inOutScales(q, n);
      expect(s.output, n).toBeGreaterThan(0);
      expect(s.output, n).not.toBe(s.input);
    }
    expect(sqnr).toBeGreaterThan(25);
  });

  s.it('Gelu (opset 20) after a quantized Conv runs between Q/DQ pairs; SQNR > 25 dB', async () => {
    const { report, sqnr } = await quantizeAndCompare(s, geluModel(models), [1, 8, 6, 6]);
    expect(quantizedNames(report)).toContain('gelu');
    expect(sqnr).toBeGreaterThan(25);
  });

  s.it('LayerNormalization and InstanceNormalization (with folded Relu) and Where are quantized, their scale/bias stay float; SQNR > 25 dB', async () => {
    const { q, report, sqnr } = await quantizeAndCompare(s, normWhereModel(models), [1, 8, 8, 8]);
    expect(quantizedNames(report)).toEqual(expect.arrayContaining(['layernorm', 'instancenorm', 'relu', 'where']));
    for (const p of ['ln.weight', 'ln.bias', 'in.weight', 'in.bias']) expect(q.graph.initializers.get(p)?.dtype).toBe('float32');
    const where = q.graph.nodes.find((n) => n.name === 'where')!;
    expect(producerOf(q, where.inputs[0]!)!.opType).toBe('Greater');
    expect(producerOf(q, where.inputs[1]!)!.opType).toBe('DequantizeLinear');
    expect(producerOf(q, where.inputs[2]!)!.opType).toBe('DequantizeLinear');
    expect(sqnr).toBeGreaterThan(25);
  });

  s.it('Gemm with transB=1 and transB=0 gets per-channel weights and an int32 bias; MatMul of two activations quantizes both; SQNR > 25 dB', async () => {
    const { q, report, sqnr } = await quantizeAndCompare(s, gemmAttentionModel(models), [8, 16]);
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

  s.it('Pad reflect shares the input scale, Pad with value 3 and cubic Resize get their own, linear Resize shares; SQNR > 25 dB', async () => {
    const { q, report, sqnr } = await quantizeAndCompare(s, padResizeModel(models), [1, 4, 6, 6]);
    expect(quantizedNames(report)).toEqual(expect.arrayContaining(['pad_reflect', 'pad_three', 'resize_linear', 'resize_cubic']));
    const same = (n: string) => { const s = inOutScales(q, n); return s.input === s.output; };
    expect([same('pad_reflect'), same('pad_three'), same('resize_linear'), same('resize_cubic')]).toEqual([true, false, true, false]);
    expect(sqnr).toBeGreaterThan(25);
  });

  s.it('ArgMax, TopK and ReduceMin after a quantized Gemm run quantized; TopK values keep SQNR > 25 dB and ArgMax agrees on most rows', async () => {
    const { report, sqnr, ref, got } = await quantizeAndCompare(s, selectModel(models), [16, 12]);
    expect(quantizedNames(report)).toEqual(expect.arrayContaining(['argmax', 'topk', 'reducemin']));
    expect(sqnr).toBeGreaterThan(25);
    expect(sqnrDb(ref.m!, got.m!)).toBeGreaterThan(25);
    const a = ref.idx!.data as BigInt64Array;
    const b = got.idx!.data as BigInt64Array;
    expect(a.filter((v, i) => v === b[i]).length).toBeGreaterThanOrEqual(14);
  });
}

/** The op types the static handlers covered before the per-op-family rules (for before/after counts). */
const EARLIER_OP_TYPES = ['Conv', 'ConvTranspose', 'Gemm', 'MatMul', 'Add', 'Mul', 'AveragePool', 'GlobalAveragePool', 'Reshape', 'Transpose', 'Flatten', 'Squeeze', 'Unsqueeze', 'MaxPool', 'GlobalMaxPool'];

function wholeModels(s: SuiteContext): void {
  const { executor, backend, fixtures: { models } } = s;
  s.it('a 2-layer BERT-like encoder quantizes LayerNorm, Softmax and the embedding Gathers; SQNR > 22 dB', async () => {
    const model = models.bertEncoder({ layers: 2, hidden: 64, heads: 4, intermediate: 128, vocab: 100, maxPosition: 64 });
    const feed = (seed: number) => {
      let s = seed;
      const ids = new BigInt64Array(32).map(() => BigInt((s = (s * 1103515245 + 12345) >>> 0) % 100));
      return { input_ids: new Tensor('int64', ids, [2, 16]), attention_mask: new Tensor('int64', new BigInt64Array(32).fill(1n), [2, 16]) };
    };
    const calibration = [1, 2, 3, 4].map(feed);
    const quantize = (o: QuantizeOptions) => quantizeModel(model, o, { backend, executor, calibration });
    const before = (await quantize({ opTypes: EARLIER_OP_TYPES })).report;
    const { model: q, report } = await quantize({});
    const probe = feed(99);
    const sqnr = sqnrDb((await runOnce(executor, model, probe)).last_hidden_state!, (await runOnce(executor, q, probe)).last_hidden_state!);
    console.info(`BERT-like encoder: ${before.quantized.length} → ${report.quantized.length} quantized nodes, ${report.float.length} float, output SQNR ${sqnr.toFixed(1)} dB`);
    expect(report.quantized.length).toBeGreaterThan(before.quantized.length);
    const ops = new Set(report.quantized.map((n) => n.opType));
    for (const op of ['LayerNormalization', 'Softmax', 'Gather', 'MatMul']) expect(ops.has(op), op).toBe(true);
    expect(sqnr).toBeGreaterThan(22);
  });

  s.it('MobileNetV2 keeps every node quantized (none float) and output SQNR > 22 dB', async () => {
    const model = models.mobileNetV2({ seed: 0 });
    const calibration = [1, 2].map((s) => ({ input: randomTensor([2, 3, 224, 224], s) }));
    const quantize = (o: QuantizeOptions) => quantizeModel(model, o, { backend, executor, calibration });
    const before = (await quantize({ opTypes: EARLIER_OP_TYPES })).report;
    const { model: q, report } = await quantize({});
    const probe = { input: randomTensor([1, 3, 224, 224], 99) };
    const sqnr = sqnrDb((await runOnce(executor, model, probe)).output!, (await runOnce(executor, q, probe)).output!);
    console.info(`MobileNetV2: ${before.quantized.length} → ${report.quantized.length} quantized nodes, ${report.float.length} float, output SQNR ${sqnr.toFixed(1)} dB`);
    expect(report.quantized.length).toBeGreaterThanOrEqual(before.quantized.length);
    expect(report.float).toEqual([]);
    expect(sqnr).toBeGreaterThan(22);
  });
}
