/**
 * FP8 E4M3FN Q/DQ on onnxruntime-node (CPU): core's quantize-dequantize equals onnxruntime's
 * QuantizeLinear/DequantizeLinear of opset 19 with a float8 zero point bit for bit, and a small
 * Conv → Relu → MatMul model quantized to FP8 runs and stays within FP8's error of the float
 * model. onnxruntime 1.30 runs FP8 Q/DQ models only at graph optimization level 'basic' (or
 * 'disabled'): from 'extended' on, its QDQ fusion turns DQ → Conv → Q into a QLinearConv that
 * does not take float8, and the session is refused; the last test pins that down.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createGraph, createModel, encodeModel, fakeQuantize, quantizeModel, sqnrDb, Tensor, type Model } from '@qtk/core';
import { randomTensor, runOnce } from '@qtk/core/testing';
import { ortNode } from './node.js';
import { onnxruntimeBackend } from './policy.js';

const FP8 = { activationType: 'float8e4m3fn', weightType: 'float8e4m3fn' } as const;

/** x [2, n] → QuantizeLinear → DequantizeLinear (float8 zero point, per row on axis 0) → y, opset 19. */
function qdqModel(n: number, scale: Float32Array): Model {
  const g = createGraph('qdq');
  g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [2, n] } });
  g.initializers.set('s', new Tensor('float32', scale, [2]));
  g.initializers.set('z', Tensor.zeros('float8e4m3fn', [2]));
  const axis = [{ name: 'axis', value: { kind: 'int' as const, value: 0 } }];
  g.nodes.push({ name: 'q', opType: 'QuantizeLinear', domain: '', inputs: ['x', 's', 'z'], outputs: ['q'], attributes: axis });
  g.nodes.push({ name: 'dq', opType: 'DequantizeLinear', domain: '', inputs: ['q', 's', 'z'], outputs: ['y'], attributes: axis });
  g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: [2, n] } });
  return createModel(g, 19, 9);
}

/** A seeded tensor with values in [-k, k). */
function scaled(dims: number[], seed: number, k: number): Tensor {
  const t = randomTensor(dims, seed);
  (t.data as Float32Array).forEach((v, i, a) => { a[i] = v * k; });
  return t;
}

/** x [1, 16, 8, 8] → Conv 3×3 (32 channels, bias) → Relu → Reshape [32, 64] → MatMul [64, 16] → y. */
function convMatMulModel(): Model {
  const g = createGraph('conv-matmul');
  g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [1, 16, 8, 8] } });
  g.initializers.set('w', scaled([32, 16, 3, 3], 11, 0.1));
  g.initializers.set('b', scaled([32], 12, 0.1));
  g.initializers.set('shape', Tensor.int64([32, 64]));
  g.initializers.set('m', scaled([64, 16], 13, 0.2));
  const pads = { name: 'pads', value: { kind: 'ints' as const, value: [1, 1, 1, 1] } };
  g.nodes.push({ name: 'conv', opType: 'Conv', domain: '', inputs: ['x', 'w', 'b'], outputs: ['c'], attributes: [pads] });
  g.nodes.push({ name: 'relu', opType: 'Relu', domain: '', inputs: ['c'], outputs: ['r'], attributes: [] });
  g.nodes.push({ name: 'reshape', opType: 'Reshape', domain: '', inputs: ['r', 'shape'], outputs: ['f'], attributes: [] });
  g.nodes.push({ name: 'matmul', opType: 'MatMul', domain: '', inputs: ['f', 'm'], outputs: ['y'], attributes: [] });
  g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: [32, 16] } });
  return createModel(g, 17);
}

/** Output 'y' of `model` on onnxruntime-node for input `x`, at graph optimization level `level`. */
async function runOrt(model: Model, x: Tensor, level: 'disabled' | 'basic' | 'extended' = 'basic'): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(encodeModel(model).model, { graphOptimizationLevel: level, logSeverityLevel: 3 });
  try {
    const out = await s.run({ x: new ort.Tensor('float32', x.data as Float32Array, x.dims) });
    return out.y!.data as Float32Array;
  } finally {
    await s.release();
  }
}

/** Values on every rounding edge of float8e4m3fn at scale 1: ties, subnormals, saturation, infinities, NaN. */
const EDGES = [
  0, -0, 17, 19, 1.0625, 1.1875, -1.1875, 2 ** -9, 2 ** -10, 3 * 2 ** -10, 15 * 2 ** -10, 2 ** -11, -(2 ** -11),
  448, 449, 463.9, 464, 480, 1e6, -1e6, Infinity, -Infinity, NaN, 0.3, -0.3, 240, 241, 255.9,
];

describe('FP8 E4M3FN on onnxruntime-node', () => {
  it('core\'s fakeQuantize equals onnxruntime\'s DequantizeLinear(QuantizeLinear(x)) bit for bit, per row scale (1 and 0.0372), on edge and random values', async () => {
    const n = 4096;
    const data = new Float32Array(2 * n);
    const rnd = randomTensor([2 * n], 5).data as Float32Array;
    // Row 0 at scale 1 holds the edges exactly; row 1 at a scale that is no power of two checks the float32 division.
    for (let i = 0; i < data.length; i++) data[i] = i < EDGES.length ? EDGES[i]! : rnd[i]! * 2 ** ((i % 23) - 8);
    const scale = Float32Array.of(1, 0.0372);
    const x = new Tensor('float32', data, [2, n]);
    const got = await runOrt(qdqModel(n, scale), x, 'disabled');
    const want = fakeQuantize(x, scale, new Int32Array(2), 'float8e4m3fn', { axis: 0 }).data as Float32Array;
    let mismatches = 0;
    for (let i = 0; i < data.length; i++) if (!Object.is(got[i], want[i]) && !(Number.isNaN(got[i]) && Number.isNaN(want[i]))) mismatches++;
    expect(mismatches).toBe(0);
    // The edges really were exercised: saturation, a tie to even and NaN.
    expect(want[EDGES.indexOf(1e6)]).toBe(448);
    expect(want[EDGES.indexOf(17)]).toBe(16);
    expect(Number.isNaN(want[EDGES.findIndex(Number.isNaN)])).toBe(true);
  });

  const calibration = Array.from({ length: 4 }, (_, i) => ({ x: randomTensor([1, 16, 8, 8], 20 + i) }));
  const quantized = quantizeModel(convMatMulModel(), FP8, { backend: onnxruntimeBackend, executor: ortNode, calibration });

  it('quantizes a Conv → Relu → MatMul model to FP8 Q/DQ at opset 19: float8 weights and zero points, float bias', async () => {
    const { model, report } = await quantized;
    expect(model.opsetImports.get('')).toBe(19);
    expect(report.quantized.map((n) => n.name).sort()).toEqual(expect.arrayContaining(['conv', 'matmul']));
    const qdq = model.graph.nodes.filter((n) => n.opType === 'QuantizeLinear' || n.opType === 'DequantizeLinear');
    expect(qdq.length).toBeGreaterThan(0);
    for (const n of qdq) expect(model.graph.initializers.get(n.inputs[2]!)!.dtype).toBe('float8e4m3fn');
    const weightDqs = qdq.filter((n) => n.opType === 'DequantizeLinear' && model.graph.initializers.has(n.inputs[0]!));
    expect(weightDqs.map((n) => model.graph.initializers.get(n.inputs[0]!)!.dtype)).toEqual(['float8e4m3fn', 'float8e4m3fn']);
    const conv = model.graph.nodes.find((n) => n.opType === 'Conv')!;
    expect(model.graph.initializers.get(conv.inputs[2]!)!.dtype).toBe('float32');
  });

  it('runs on onnxruntime CPU at level basic with output SQNR against float above 25 dB (FP8 E4M3 keeps 3 mantissa bits)', async () => {
    const { model } = await quantized;
    const float = convMatMulModel();
    let signal = 0;
    let noise = 0;
    for (let i = 0; i < 3; i++) {
      const x = randomTensor([1, 16, 8, 8], 100 + i);
      const [want, got] = [await runOrt(float, x), await runOrt(model, x)];
      want.forEach((v, k) => { signal += v * v; noise += (v - got[k]!) ** 2; });
    }
    const db = sqnrDb(signal, noise);
    expect(db).toBeGreaterThan(25);
    expect(db).toBeLessThan(60); // quantization did happen
  });

  it('the onnxruntime-node executor picks level basic for FP8 Q/DQ models on its own and runs them', async () => {
    const { model } = await quantized;
    const x = calibration[0]!.x;
    const out = await runOnce(ortNode, model, { x });
    expect([...(out.y!.data as Float32Array)]).toEqual([...(await runOrt(model, x, 'basic'))]);
  });

  it('the mixed-precision search measures FP8 conversions on the onnxruntime executor and reaches a 60 dB bound by keeping nodes float', async () => {
    const { report } = await quantizeModel(convMatMulModel(), { ...FP8, minOutputSqnrDb: 60 }, { backend: onnxruntimeBackend, executor: ortNode, calibration });
    expect(report.mixedPrecision!.reached).toBe(true);
    expect(report.mixedPrecision!.keptFloat.length).toBeGreaterThan(0);
    expect(report.mixedPrecision!.steps[0]!.outputSqnrDb).toBeLessThan(60);
  });

  it('onnxruntime 1.30 refuses the FP8 Conv model at level extended: its QDQ fusion builds a QLinearConv over float8', async () => {
    const { model } = await quantized;
    await expect(runOrt(model, calibration[0]!.x, 'extended')).rejects.toThrow(/QLinearConv|float8e4m3fn/);
  });
});
