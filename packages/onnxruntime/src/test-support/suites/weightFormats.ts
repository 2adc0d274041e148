/**
 * onnxruntime's weight node forms on the executor under test: MatMulNBits and
 * GatherBlockQuantized from its weight-only writer, and the com.microsoft Q/DQ its dialect
 * writes for 16-bit activations and 4-bit weights before opset 21.
 */
import { expect } from 'vitest';
import { cloneModel, createGraph, createModel, convertWeightOnly, encodeModel, quantizeModel, Tensor, type Model, type WeightOnlyOptions } from '@qtk/core';
import { dequantizeBlockCodes, transpose2d } from '@qtk/core/internal';
import {
  accuracy, digitsCalibration, digitsRows, loadDigits, randomTensor, relativeError as relErr, sqnrOf as sqnr, suiteRunner as runner,
  type SuiteContext, type SuiteRun as Run,
} from '@qtk/core/testing';
import { ortWeightOnlyWriter, packGatherBlockQuantized, packMatMulNBits } from '../../writers/index.js';

const f32 = (t: Tensor) => t.data as Float32Array;


/** x [M, K] → MatMul(w [K, N]) → y (opset 17). */
function matmulModel(w: Tensor, m: number): Model {
  const g = createGraph('mm');
  g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [m, w.dims[0]!] } });
  g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: [m, w.dims[1]!] } });
  g.initializers.set('w', w);
  g.nodes.push({ name: 'mm', opType: 'MatMul', domain: '', inputs: ['x', 'w'], outputs: ['y'], attributes: [] });
  return createModel(g, 17);
}

const UNIFORM: WeightOnlyOptions = { weightType: 'int4', blockSize: 32, symmetric: true, scheme: 'uniform', codebookSize: 256 };

/** Registers the ortWeightFormats suite (onnxruntime's weight-only writer and com.microsoft Q/DQ). */
export function ortWeightFormatsSuite(t: SuiteContext): void {
  t.describe('MatMulNBits from convertWeightOnly', matMulNBits);
  t.describe('GatherBlockQuantized from convertWeightOnly', gatherBlockQuantized);
  t.describe('QDQ with 16-bit and 4-bit types in com.microsoft', microsoftQdq);
}

function matMulNBits(s: SuiteContext): void {
  const run = runner(s);
  // K = 200 is no multiple of 32: the last block of every column is padded.
  const w = randomTensor([200, 48], 11);
  const x = randomTensor([4, 200], 12);
  const cases = [
    { weightType: 'int4', symmetric: true }, { weightType: 'uint4', symmetric: false },
    { weightType: 'int8', symmetric: true }, { weightType: 'uint8', symmetric: false },
  ] as const;
  for (const c of cases) {
    s.it(`${c.weightType} ${c.symmetric ? 'symmetric' : 'asymmetric'}: equals a float MatMul of the dequantized weight within 1e-4 relative`, async () => {
      const float = matmulModel(w, 4);
      const q = cloneModel(float);
      const r = convertWeightOnly(q, { ...UNIFORM, ...c }, ortWeightOnlyWriter);
      expect(r.quantized).toEqual([{ name: 'mm', opType: 'MatMul' }]);
      expect(q.graph.nodes.map((n) => n.opType)).toEqual(['MatMulNBits']);
      const bits = c.weightType.endsWith('4') ? 4 : 8;
      const deq = transpose2d(dequantizeBlockCodes(packMatMulNBits(w, bits, 32, c.symmetric).codes));
      const yq = f32((await run(q, { x })).y!);
      const yDeq = f32((await run(matmulModel(deq, 4), { x })).y!);
      const yFloat = f32((await run(float, { x })).y!);
      expect(relErr(yq, yDeq)).toBeLessThan(1e-4);
      const db = sqnr(yFloat, yq);
      console.log(`MatMulNBits ${c.weightType} ${c.symmetric ? 'sym' : 'asym'} block 32: output SQNR vs float ${db.toFixed(1)} dB`);
      expect(db).toBeGreaterThan(bits === 4 ? 15 : 35);
    });
  }

  s.it('shrinks a 1024x1024 MatMul about 7x with 4-bit weights (≥ 6x at block 32, ≥ 7x at block 128)', () => {
    const big = matmulModel(randomTensor([1024, 1024], 3), 1);
    const before = encodeModel(big).model.byteLength;
    const ratios = [32, 128].map((blockSize) => {
      const q = cloneModel(big);
      convertWeightOnly(q, { ...UNIFORM, blockSize }, ortWeightOnlyWriter);
      return before / encodeModel(q).model.byteLength;
    });
    console.log(`4-bit MatMulNBits file size: ${ratios[0]!.toFixed(2)}x smaller at block 32, ${ratios[1]!.toFixed(2)}x at block 128`);
    expect(ratios[0]).toBeGreaterThanOrEqual(6);
    expect(ratios[1]).toBeGreaterThanOrEqual(7);
  });

  s.it('runs a Gemm with transB and bias as MatMulNBits with the bias input', async () => {
    const g = createGraph('gemm');
    g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [3, 64] } });
    g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: [3, 10] } });
    g.initializers.set('w', randomTensor([10, 64], 5));
    g.initializers.set('b', randomTensor([10], 6));
    g.nodes.push({ name: 'fc', opType: 'Gemm', domain: '', inputs: ['x', 'w', 'b'], outputs: ['y'], attributes: [{ name: 'transB', value: { kind: 'int', value: 1 } }] });
    const float = createModel(g, 17);
    const q = cloneModel(float);
    convertWeightOnly(q, { ...UNIFORM, blockSize: 16 }, ortWeightOnlyWriter);
    expect(q.graph.nodes.map((n) => n.opType)).toEqual(['MatMulNBits']);
    const x = randomTensor([3, 64], 7);
    const yq = f32((await run(q, { x })).y!);
    const deq = dequantizeBlockCodes(packMatMulNBits(g.initializers.get('w')!, 4, 16, true, 'w', true).codes);
    const ref = cloneModel(float);
    ref.graph.initializers.set('w', deq);
    expect(relErr(yq, f32((await run(ref, { x })).y!))).toBeLessThan(1e-4);
  });
}

function gatherBlockQuantized(s: SuiteContext): void {
  const run = runner(s);
  const table = randomTensor([100, 64], 21);
  const ids = Tensor.int64([0, 7, 99, 42]);
  function gatherModel(): Model {
    const g = createGraph('emb');
    g.inputs.push({ name: 'ids', type: { kind: 'tensor', dtype: 'int64', shape: [4] } });
    g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: [4, 64] } });
    g.initializers.set('table', table);
    g.nodes.push({ name: 'lookup', opType: 'Gather', domain: '', inputs: ['table', 'ids'], outputs: ['y'], attributes: [] });
    return createModel(g, 17);
  }
  for (const c of [{ weightType: 'int4', symmetric: true }, { weightType: 'uint4', symmetric: false }, { weightType: 'uint8', symmetric: false }, { weightType: 'int8', symmetric: true }] as const) {
    s.it(`${c.weightType} ${c.symmetric ? 'symmetric' : 'asymmetric'}: gathers exactly the dequantized rows`, async () => {
      const q = gatherModel();
      convertWeightOnly(q, { ...UNIFORM, ...c }, ortWeightOnlyWriter);
      expect(q.graph.nodes.map((n) => n.opType)).toEqual(['GatherBlockQuantized']);
      const y = f32((await run(q, { ids })).y!);
      const deq = f32(dequantizeBlockCodes(packGatherBlockQuantized(table, c.weightType, 32, c.symmetric).codes));
      const rows = [0, 7, 99, 42];
      for (let r = 0; r < 4; r++) for (let j = 0; j < 64; j++) expect(y[r * 64 + j]).toBe(deq[rows[r]! * 64 + j]);
    });
  }
}

function microsoftQdq(s: SuiteContext): void {
  const run = runner(s);
  // onnxruntime's optimized sessions lose accuracy on int16 x int16 Conv of this model (0.69 at
  // graph optimization 'basic' and above, 0.996 with optimizations off: the Q/DQ model itself is
  // right); int16 activations with int8 weights (A16W8) run well either way.
  s.it('int16 activations and weights on the digits CNN: com.microsoft Q/DQ at opset 17, accuracy ≥ 0.99 (optimizations off)', async () => {
    const { data, model } = await loadDigits(s.fixtures);
    const { model: q } = await quantizeModel(model, { activationType: 'int16', weightType: 'int16' }, { backend: s.backend, executor: s.executor, calibration: digitsCalibration(data, 64) });
    // int32 bias DQ stays in the ONNX domain; every 16-bit pair goes to com.microsoft.
    const sixteen = q.graph.nodes.filter((n) => (n.opType === 'QuantizeLinear' || n.opType === 'DequantizeLinear') && q.graph.initializers.get(n.inputs[2] ?? '')?.dtype === 'int16');
    expect(sixteen.length).toBeGreaterThan(10);
    for (const n of sixteen) expect(n.domain).toBe('com.microsoft');
    const { x, y } = digitsRows(data, 1297, 1797);
    const acc = accuracy((await run(q, { input: x }, true)).logits!, y);
    console.log(`digits int16/int16 QDQ accuracy ${acc} (optimizations off)`);
    expect(acc).toBeGreaterThanOrEqual(0.99);
  });

  s.it('uint8 activations with int4 per-channel weights (com.microsoft DQ at opset 17) on the digits CNN keep accuracy ≥ 0.99', async () => {
    const { data, model } = await loadDigits(s.fixtures);
    const { model: q } = await quantizeModel(model, { weightType: 'int4' }, { backend: s.backend, executor: s.executor, calibration: digitsCalibration(data, 64) });
    const int4 = q.graph.nodes.filter((n) => n.opType === 'DequantizeLinear' && q.graph.initializers.get(n.inputs[0]!)?.dtype === 'int4');
    expect(int4.length).toBe(5);
    for (const n of int4) expect(n.domain).toBe('com.microsoft');
    const { x, y } = digitsRows(data, 1297, 1797);
    const acc = accuracy((await run(q, { input: x })).logits!, y);
    console.log(`digits W4A8 QDQ accuracy ${acc}`);
    expect(acc).toBeGreaterThanOrEqual(0.99);
  });
}
