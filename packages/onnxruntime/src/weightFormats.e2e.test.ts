/**
 * Weight formats in onnxruntime-node: MatMulNBits and GatherBlockQuantized (weight-only),
 * blocked DequantizeLinear (opset 21), 16-bit and 4-bit QDQ, and non-uniform (codebook, log2)
 * weights expanded with standard ops.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { cloneModel, createGraph, createModel, dequantizeTensor, encodeModel, fakeQuantize, quantizeModel, quantSpec, convertToQdq, Tensor, PER_TENSOR, type Annotation, type Model, type QParams, convertWeightOnly, type WeightOnlyOptions } from '@qtk/core';
import { dequantizeBlockCodes, transpose2d, decodeNonUniform, encodeNonUniform, type NonUniformScheme } from '@qtk/core/internal';
import { loadModelFile } from '@qtk/core/node';
import * as ort from 'onnxruntime-node';
import { ortNode } from './node.js';
import { ortWeightOnlyWriter, packGatherBlockQuantized, packMatMulNBits } from './writers/index.js';
import { createOrtSession, type OrtModule } from './ortSession.js';
import { randomTensor } from './test-support/random.js';
import { DIGITS_MODEL, digitsRows, batchesOf, accuracy } from './test-support/digits.js';
import { onnxruntimeBackend } from './policy.js';

const f32 = (t: Tensor) => t.data as Float32Array;

async function run(m: Model, feeds: Record<string, Tensor>, unoptimized = false): Promise<Record<string, Tensor>> {
  const s = unoptimized
    ? await createOrtSession(ort as unknown as OrtModule, m, { ortOptions: { graphOptimizationLevel: 'disabled' } })
    : await ortNode.createSession(m);
  try { return await s.run(feeds); } finally { await s.release(); }
}

/** Signal-to-quantization-noise ratio of `test` against `ref`, in dB. */
function sqnr(ref: Float32Array, test: Float32Array): number {
  let p = 0, e = 0;
  for (let i = 0; i < ref.length; i++) { p += ref[i]! ** 2; e += (ref[i]! - test[i]!) ** 2; }
  return 10 * Math.log10(p / e);
}

/** Largest |a - b| over the largest |b|. */
function relErr(a: Float32Array, b: Float32Array): number {
  let d = 0, m = 0;
  for (let i = 0; i < b.length; i++) { d = Math.max(d, Math.abs(a[i]! - b[i]!)); m = Math.max(m, Math.abs(b[i]!)); }
  return d / m;
}

/** x [M, K] → MatMul(w [K, N]) → y, at `opset`. */
function matmulModel(w: Tensor, m: number, opset = 17): Model {
  const g = createGraph('mm');
  g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [m, w.dims[0]!] } });
  g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: [m, w.dims[1]!] } });
  g.initializers.set('w', w);
  g.nodes.push({ name: 'mm', opType: 'MatMul', domain: '', inputs: ['x', 'w'], outputs: ['y'], attributes: [] });
  return createModel(g, opset);
}

const UNIFORM: WeightOnlyOptions = { weightType: 'int4', blockSize: 32, symmetric: true, scheme: 'uniform', codebookSize: 256 };

describe('MatMulNBits from convertWeightOnly in onnxruntime-node', () => {
  // K = 200 is no multiple of 32: the last block of every column is padded.
  const w = randomTensor([200, 48], 11);
  const x = randomTensor([4, 200], 12);
  const cases = [
    { weightType: 'int4', symmetric: true }, { weightType: 'uint4', symmetric: false },
    { weightType: 'int8', symmetric: true }, { weightType: 'uint8', symmetric: false },
  ] as const;
  for (const c of cases) {
    it(`${c.weightType} ${c.symmetric ? 'symmetric' : 'asymmetric'}: equals a float MatMul of the dequantized weight within 1e-4 relative`, async () => {
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

  it('shrinks a 1024x1024 MatMul about 7x with 4-bit weights (≥ 6x at block 32, ≥ 7x at block 128)', () => {
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

  it('runs a Gemm with transB and bias as MatMulNBits with the bias input', async () => {
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
});

describe('GatherBlockQuantized from convertWeightOnly in onnxruntime-node', () => {
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
    it(`${c.weightType} ${c.symmetric ? 'symmetric' : 'asymmetric'}: gathers exactly the dequantized rows`, async () => {
      const q = gatherModel();
      convertWeightOnly(q, { ...UNIFORM, ...c }, ortWeightOnlyWriter);
      expect(q.graph.nodes.map((n) => n.opType)).toEqual(['GatherBlockQuantized']);
      const y = f32((await run(q, { ids })).y!);
      const deq = f32(dequantizeBlockCodes(packGatherBlockQuantized(table, c.weightType, 32, c.symmetric).codes));
      const rows = [0, 7, 99, 42];
      for (let r = 0; r < 4; r++) for (let j = 0; j < 64; j++) expect(y[r * 64 + j]).toBe(deq[rows[r]! * 64 + j]);
    });
  }
});

describe("blocked DequantizeLinear (target 'standard', opset 21) in onnxruntime-node", () => {
  // With graph optimizations on, onnxruntime fuses blocked DQ → MatMul into MatMulNBits and may
  // quantize the activation to int8 inside it (its default accuracy level), so the exact
  // comparison runs unoptimized and the optimized run is only bounded.
  it('raises opset 17 to 21 and equals a float MatMul of the dequantized weight within 1e-4 relative', async () => {
    const w = randomTensor([72, 20], 31);
    const x = randomTensor([2, 72], 32);
    const float = matmulModel(w, 2);
    const q = cloneModel(float);
    convertWeightOnly(q, { ...UNIFORM, weightType: 'uint4', symmetric: false });
    expect(q.opsetImports.get('')).toBe(21);
    const dq = q.graph.nodes.find((n) => n.opType === 'DequantizeLinear')!;
    const init = (i: number) => q.graph.initializers.get(dq.inputs[i]!)!;
    const deq = dequantizeTensor(init(0), f32(init(1)), Int32Array.from(init(2).toNumbers()), { axis: 0, blockSize: 32 });
    const yq = f32((await run(q, { x }, true)).y!);
    const yDeq = f32((await run(matmulModel(deq, 2), { x })).y!);
    expect(relErr(yq, yDeq)).toBeLessThan(1e-4);
    const optimized = relErr(f32((await run(q, { x })).y!), yDeq);
    console.log(`blocked DQ uint4 block 32: output SQNR vs float ${sqnr(f32((await run(float, { x })).y!), yq).toFixed(1)} dB; optimized session differs by ${optimized.toExponential(2)} relative`);
    expect(optimized).toBeLessThan(1e-2);
  });
});

describe('QDQ with 16-bit and 4-bit types in onnxruntime-node', () => {
  it('int16 activations with int4 per-block weights (opset raised to 21) equal the fake-quantized reference within 1e-4', async () => {
    const w = randomTensor([64, 16], 41);
    const x = randomTensor([1, 64], 42);
    const m = matmulModel(w, 1);
    const spec = (dtype: 'int4' | 'int16', granularity: Parameters<typeof quantSpec>[0]['granularity']) =>
      quantSpec({ dtype, symmetric: true, granularity, observer: { kind: 'minmax' } });
    const ann: Annotation = {
      tensors: new Map([
        ['x', { kind: 'activation', spec: spec('int16', PER_TENSOR) }],
        ['w', { kind: 'weight', spec: spec('int4', { kind: 'perBlock', axis: 0, blockSize: 16 }) }],
      ]),
      quantized: new Set([m.graph.nodes[0]!]), fused: new Set(), float: [],
    };
    const xs = Math.fround(1 / 32767);
    const acts = new Map<string, QParams>([['x', { scale: Float32Array.of(xs), zeroPoint: Int32Array.of(0), dtype: 'int16' }]]);
    convertToQdq(m, ann, acts);
    expect(m.opsetImports.get('')).toBe(21);
    const dq = m.graph.nodes.find((n) => n.opType === 'DequantizeLinear' && n.inputs[0] === 'w_quantized')!;
    const init = (i: number) => m.graph.initializers.get(dq.inputs[i]!)!;
    const wDeq = f32(dequantizeTensor(init(0), f32(init(1)), Int32Array.from(init(2).toNumbers()), { axis: 0, blockSize: 16 }));
    const xDeq = f32(fakeQuantize(x, Float32Array.of(xs), Int32Array.of(0), 'int16'));
    const ref = new Float32Array(16);
    for (let n = 0; n < 16; n++) { let s = 0; for (let k = 0; k < 64; k++) s += xDeq[k]! * wDeq[k * 16 + n]!; ref[n] = s; }
    expect(relErr(f32((await run(m, { x })).y!), ref)).toBeLessThan(1e-4);
  });

  // onnxruntime's optimized sessions lose accuracy on int16 x int16 Conv of this model (0.69 at
  // graph optimization 'basic' and above, 0.996 with optimizations off: the Q/DQ model itself is
  // right); int16 activations with int8 weights (A16W8) run well either way.
  it('int16 activations and weights on the digits CNN: com.microsoft Q/DQ at opset 17, accuracy ≥ 0.99 (optimizations off)', async () => {
    const model = await loadModelFile(DIGITS_MODEL);
    const { model: q } = await quantizeModel(model, { activationType: 'int16', weightType: 'int16' }, { backend: onnxruntimeBackend, executor: ortNode, calibration: batchesOf(digitsRows(0, 256).x, 64) });
    // int32 bias DQ stays in the ONNX domain; every 16-bit pair goes to com.microsoft.
    const sixteen = q.graph.nodes.filter((n) => (n.opType === 'QuantizeLinear' || n.opType === 'DequantizeLinear') && q.graph.initializers.get(n.inputs[2] ?? '')?.dtype === 'int16');
    expect(sixteen.length).toBeGreaterThan(10);
    for (const n of sixteen) expect(n.domain).toBe('com.microsoft');
    const { x, y } = digitsRows(1297, 1797);
    const acc = accuracy((await run(q, { input: x }, true)).logits!, y);
    console.log(`digits int16/int16 QDQ accuracy ${acc} (optimizations off)`);
    expect(acc).toBeGreaterThanOrEqual(0.99);
  });

  it('int16 activations with int8 weights (A16W8) on the digits CNN keep accuracy ≥ 0.99 in an optimized session', async () => {
    const model = await loadModelFile(DIGITS_MODEL);
    const { model: q } = await quantizeModel(model, { activationType: 'int16', weightType: 'int8' }, { backend: onnxruntimeBackend, executor: ortNode, calibration: batchesOf(digitsRows(0, 256).x, 64) });
    const { x, y } = digitsRows(1297, 1797);
    const acc = accuracy((await run(q, { input: x })).logits!, y);
    console.log(`digits A16W8 QDQ accuracy ${acc}`);
    expect(acc).toBeGreaterThanOrEqual(0.99);
  });

  it('uint8 activations with int4 per-channel weights (com.microsoft DQ at opset 17) on the digits CNN keep accuracy ≥ 0.99', async () => {
    const model = await loadModelFile(DIGITS_MODEL);
    const { model: q } = await quantizeModel(model, { weightType: 'int4' }, { backend: onnxruntimeBackend, executor: ortNode, calibration: batchesOf(digitsRows(0, 256).x, 64) });
    const int4 = q.graph.nodes.filter((n) => n.opType === 'DequantizeLinear' && q.graph.initializers.get(n.inputs[0]!)?.dtype === 'int4');
    expect(int4.length).toBe(5);
    for (const n of int4) expect(n.domain).toBe('com.microsoft');
    const { x, y } = digitsRows(1297, 1797);
    const acc = accuracy((await run(q, { input: x })).logits!, y);
    console.log(`digits W4A8 QDQ accuracy ${acc}`);
    expect(acc).toBeGreaterThanOrEqual(0.99);
  });
});

describe('non-uniform weights expanded with standard ops in onnxruntime-node', () => {
  // MatMul with an identity input returns the expanded weight itself; 35 codes (odd) exercise the Slice.
  const w = randomTensor([5, 7], 51);
  const eye = new Tensor('float32', Float32Array.from({ length: 25 }, (_, i) => (i % 6 === 0 ? 1 : 0)), [5, 5]);
  const cases: Array<{ label: string; opts: Partial<WeightOnlyOptions>; scheme: NonUniformScheme }> = [
    { label: 'codebook 16 (two codes per byte)', opts: { scheme: 'codebook', codebookSize: 16 }, scheme: { kind: 'codebook', entries: 16 } },
    { label: 'codebook 256', opts: { scheme: 'codebook', codebookSize: 256 }, scheme: { kind: 'codebook', entries: 256 } },
    { label: 'log2 4-bit', opts: { scheme: 'log2', weightType: 'int4' }, scheme: { kind: 'log2', bits: 4, axis: 1 } },
    { label: 'log2 8-bit', opts: { scheme: 'log2', weightType: 'int8' }, scheme: { kind: 'log2', bits: 8, axis: 1 } },
  ];
  for (const c of cases) {
    it(`${c.label}: the expanded weight equals the encoded values exactly`, async () => {
      const q = matmulModel(w, 5);
      convertWeightOnly(q, { ...UNIFORM, ...c.opts }, ortWeightOnlyWriter);
      expect(q.graph.nodes.some((n) => n.domain !== '')).toBe(false);
      const y = f32((await run(q, { x: eye })).y!);
      expect(Array.from(y)).toEqual(Array.from(decodeNonUniform(encodeNonUniform(w, c.scheme))));
    });
  }
});

describe('weight-only formats on the digits CNN', async () => {
  const model = await loadModelFile(DIGITS_MODEL);
  const fp32Bytes = readFileSync(DIGITS_MODEL).byteLength;
  const { x, y } = digitsRows(1297, 1797);
  const evaluate = async (m: Model) => accuracy((await run(m, { input: x })).logits!, y);

  it('codebook 256 keeps accuracy ≥ 0.99 and the file at most 0.3 of FP32', async () => {
    const q = cloneModel(model);
    const r = convertWeightOnly(q, { ...UNIFORM, scheme: 'codebook', codebookSize: 256 }, ortWeightOnlyWriter);
    expect(r.quantized.length).toBe(5);
    const acc = await evaluate(q);
    const ratio = encodeModel(q).model.byteLength / fp32Bytes;
    console.log(`digits codebook 256: accuracy ${acc}, file ${ratio.toFixed(3)} of FP32`);
    expect(acc).toBeGreaterThanOrEqual(0.99);
    expect(ratio).toBeLessThanOrEqual(0.3);
  });

  it('codebook 16, log2 4- and 8-bit and uniform int4 (MatMulNBits + blocked DQ) keep accuracy ≥ 0.97 (FP32 0.996)', async () => {
    const variants: Array<[string, Partial<WeightOnlyOptions>]> = [
      ['codebook 16', { scheme: 'codebook', codebookSize: 16 }],
      ['log2 4-bit', { scheme: 'log2', weightType: 'int4' }],
      ['log2 8-bit', { scheme: 'log2', weightType: 'int8' }],
      ['uniform int4 block 32', {}],
    ];
    for (const [label, opts] of variants) {
      const q = cloneModel(model);
      const r = convertWeightOnly(q, { ...UNIFORM, ...opts }, ortWeightOnlyWriter);
      expect(r.quantized.length).toBe(5);
      const acc = await evaluate(q);
      console.log(`digits ${label}: accuracy ${acc}, file ${(encodeModel(q).model.byteLength / fp32Bytes).toFixed(3)} of FP32`);
      expect(acc).toBeGreaterThanOrEqual(0.97);
    }
  });
});
