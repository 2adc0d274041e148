import { describe, expect, it } from 'vitest';
import { createGraph, createModel, type Model } from '../../ir/graph.js';
import { Tensor } from '../../ir/tensor.js';
import { expectQtkError } from '../../test-support/expectQtkError.js';
import { convertWeightOnly, dequantizeBlockCodes, packGatherBlockQuantized, packMatMulNBits, type WeightOnlyOptions } from './index.js';
import { transpose2d } from '../../transforms/tensorOps.js';

const ramp = (n: number, f = 0.37) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * f) * (1 + (i % 5)));
const OPTS: WeightOnlyOptions = { weightType: 'int4', blockSize: 16, symmetric: true, scheme: 'uniform', codebookSize: 256 };

describe('MatMulNBits packing', () => {
  // W [K=20, N=2]: one full block of 16 and one of 4 (padded) per column.
  const w = new Tensor('float32', ramp(40), [20, 2]);

  it('lays B out as [N, k_blocks, blob] with lower K in the low nibble and the pad at the zero point', () => {
    const p = packMatMulNBits(w, 4, 16, false);
    expect(p.B.dims).toEqual([2, 2, 8]);
    expect(p.scales.dims).toEqual([2, 2]);
    const codes = p.codes.codes; // [N, K]
    const b = p.B.data as Uint8Array;
    // column 1, block 0, byte 3 holds K = 6 (low) and K = 7 (high)
    expect(b[(1 * 2 + 0) * 8 + 3]).toBe(codes[1 * 20 + 6]! | (codes[1 * 20 + 7]! << 4));
    // column 0, block 1: K = 16..19 in bytes 0..1, bytes 2..7 are padding of the zero point
    const z = p.codes.zeroPoints[0 * 2 + 1]!;
    expect(b[(0 * 2 + 1) * 8 + 1]).toBe(codes[18]! | (codes[19]! << 4));
    for (let i = 2; i < 8; i++) expect(b[(0 * 2 + 1) * 8 + i]).toBe(z | (z << 4));
  });

  it('packs asymmetric 4-bit zero points per column, block 2j low and 2j+1 high ([N, ceil(k_blocks/2)])', () => {
    const p = packMatMulNBits(new Tensor('float32', ramp(80).map((v) => v + 2), [40, 2]), 4, 16, false);
    expect(p.zeroPoints!.dims).toEqual([2, 2]);
    const zp = p.zeroPoints!.data as Uint8Array;
    const z = p.codes.zeroPoints;
    expect(zp[0]).toBe(z[0]! | (z[1]! << 4));
    expect(zp[1]! & 15).toBe(z[2]);
    expect(zp[2]).toBe(z[3]! | (z[4]! << 4));
  });

  it('leaves zero points out when symmetric (default 8 for 4-bit, 128 for 8-bit)', () => {
    expect(packMatMulNBits(w, 4, 16, true).zeroPoints).toBeUndefined();
    const p8 = packMatMulNBits(w, 8, 16, true);
    expect(p8.zeroPoints).toBeUndefined();
    expect(p8.B.dims).toEqual([2, 2, 16]);
  });

  it('dequantizes within half a step of W (transposed codes)', () => {
    const p = packMatMulNBits(w, 4, 16, true);
    const back = transpose2d(dequantizeBlockCodes(p.codes)).data as Float32Array;
    const src = w.data as Float32Array;
    for (let k = 0; k < 20; k++) for (let n = 0; n < 2; n++) {
      const s = (p.scales.data as Float32Array)[n * 2 + Math.floor(k / 16)]!;
      expect(Math.abs(back[k * 2 + n]! - src[k * 2 + n]!)).toBeLessThanOrEqual(s / 2 + 1e-6);
    }
  });

  it('refuses a block size that is not a power of two ≥ 16 (E_OPTION) and a 3-D weight (E_SHAPE)', () => {
    expectQtkError(() => packMatMulNBits(w, 4, 24, true, 'fc'), 'E_OPTION', "'fc'");
    expectQtkError(() => packMatMulNBits(new Tensor('float32', new Float32Array(8), [2, 2, 2]), 4, 16, true, 'fc'), 'E_SHAPE', "'fc'");
  });
});

describe('GatherBlockQuantized packing', () => {
  it('stores int4 symmetric data signed (code - 8) with scales [rows, blocks] and no zero points', () => {
    const t = new Tensor('float32', ramp(96), [3, 32]);
    const p = packGatherBlockQuantized(t, 'int4', 16, true);
    expect(p.data.dtype).toBe('int4');
    expect(p.scales.dims).toEqual([3, 2]);
    expect(p.zeroPoints).toBeUndefined();
    expect(p.data.get(5)).toBe(p.codes.codes[5]! - 8);
  });

  it('stores 8-bit data as uint8 with bits=8 and uint8 zero points when asymmetric', () => {
    const p = packGatherBlockQuantized(new Tensor('float32', ramp(32).map((v) => v + 3), [2, 16]), 'uint8', 16, false);
    expect(p.data.dtype).toBe('uint8');
    expect(p.attributes).toContainEqual({ name: 'bits', value: { kind: 'int', value: 8 } });
    expect(p.zeroPoints!.dtype).toBe('uint8');
  });
});

/** x → MatMul(w1) → Gemm(w2, transB, bias) → Conv-free tail; e (embedding) → Gather. */
function model(opset = 17, extra?: string): Model {
  const g = createGraph('g');
  g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [1, 32] } });
  g.inputs.push({ name: 'ids', type: { kind: 'tensor', dtype: 'int64', shape: [2] } });
  g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: [1, 8] } });
  g.outputs.push({ name: 'emb', type: { kind: 'tensor', dtype: 'float32', shape: [2, 32] } });
  g.initializers.set('w1', new Tensor('float32', ramp(512), [32, 16]));
  g.initializers.set('w2', new Tensor('float32', ramp(128, 0.7), [8, 16]));
  g.initializers.set('b2', new Tensor('float32', ramp(8), [8]));
  g.initializers.set('e', new Tensor('float32', ramp(320, 0.11), [10, 32]));
  g.nodes.push({ name: 'mm', opType: 'MatMul', domain: '', inputs: ['x', 'w1'], outputs: ['h'], attributes: [] });
  g.nodes.push({ name: 'fc', opType: 'Gemm', domain: '', inputs: ['h', 'w2', 'b2'], outputs: [extra ? 'z' : 'y'], attributes: [{ name: 'transB', value: { kind: 'int', value: 1 } }] });
  if (extra) g.nodes.push({ name: 'tail', opType: extra, domain: '', inputs: ['z'], outputs: ['y'], attributes: [] });
  g.nodes.push({ name: 'lookup', opType: 'Gather', domain: '', inputs: ['e', 'ids'], outputs: ['emb'], attributes: [] });
  return createModel(g, opset);
}

describe('convertWeightOnly', () => {
  it('targets onnxruntime: MatMul and Gemm become MatMulNBits, Gather GatherBlockQuantized, float weights are dropped', () => {
    const m = model();
    const r = convertWeightOnly(m, OPTS);
    expect(m.graph.nodes.map((n) => `${n.domain}:${n.opType}`)).toEqual(['com.microsoft:MatMulNBits', 'com.microsoft:MatMulNBits', 'com.microsoft:GatherBlockQuantized']);
    expect(r.quantized.map((q) => q.name)).toEqual(['mm', 'fc', 'lookup']);
    expect(r.float).toEqual([]);
    const gemm = m.graph.nodes[1]!;
    expect(gemm.inputs[5]).toBe('b2');
    expect(gemm.attributes).toContainEqual({ name: 'K', value: { kind: 'int', value: 16 } });
    expect(gemm.attributes).toContainEqual({ name: 'N', value: { kind: 'int', value: 8 } });
    for (const v of ['w1', 'w2', 'e']) expect(m.graph.initializers.has(v)).toBe(false);
    expect(m.opsetImports.get('com.microsoft')).toBe(1);
  });

  it("targets 'standard': blocked DequantizeLinear before every op, opset raised to 21", () => {
    const m = model();
    convertWeightOnly(m, { ...OPTS, target: 'standard' });
    expect(m.opsetImports.get('')).toBe(21);
    const dqs = m.graph.nodes.filter((n) => n.opType === 'DequantizeLinear');
    expect(dqs.length).toBe(3);
    expect(dqs.map((n) => n.attributes[0]!.value)).toEqual([{ kind: 'int', value: 0 }, { kind: 'int', value: 1 }, { kind: 'int', value: 1 }]);
  });

  it('blocks a table gathered along axis 1 within each gathered column (axis 0), and leaves it to blocked DequantizeLinear', () => {
    const m = model();
    const lookup = m.graph.nodes.find((n) => n.name === 'lookup')!;
    lookup.attributes.push({ name: 'axis', value: { kind: 'int', value: 1 } });
    m.graph.initializers.set('e', new Tensor('float32', ramp(320, 0.11), [32, 10]));
    const r = convertWeightOnly(m, { ...OPTS, opTypes: ['Gather'] });
    expect(r.quantized.map((q) => q.name)).toEqual(['lookup']);
    const dq = m.graph.nodes.find((n) => n.outputs.includes(lookup.inputs[0]!))!;
    expect(dq.opType).toBe('DequantizeLinear');
    expect(dq.attributes[0]).toEqual({ name: 'axis', value: { kind: 'int', value: 0 } });
  });

  it("keeps nodes float with the opset refusal as reason when 'standard' cannot raise the opset", () => {
    const m = model(17, 'Split');
    const r = convertWeightOnly(m, { ...OPTS, target: 'standard' });
    expect(r.quantized).toEqual([]);
    expect(r.float.map((f) => f.name)).toEqual(['mm', 'fc', 'lookup']);
    expect(r.float[0]!.reason).toContain('Split');
    expect(m.opsetImports.get('')).toBe(17);
  });

  it('puts codebook expansions in front of MatMul, Gemm and Gather and honours exclude and opTypes', () => {
    const m = model();
    const r = convertWeightOnly(m, { ...OPTS, scheme: 'codebook', exclude: ['fc'], opTypes: ['MatMul', 'Gemm'] });
    expect(r.quantized.map((q) => q.name)).toEqual(['mm']);
    expect(r.float).toEqual([
      { name: 'fc', opType: 'Gemm', reason: 'excluded by user' },
      { name: 'lookup', opType: 'Gather', reason: 'op type not selected' },
    ]);
    const mm = m.graph.nodes.find((n) => n.name === 'mm')!;
    expect(m.graph.nodes.find((n) => n.outputs.includes(mm.inputs[1]!))!.opType).toBe('Gather');
  });

  it('packs a weight read by two MatMuls once and shares its initializers', () => {
    const m = model();
    m.graph.nodes.push({ name: 'mm2', opType: 'MatMul', domain: '', inputs: ['x', 'w1'], outputs: ['h2'], attributes: [] });
    m.graph.outputs.push({ name: 'h2' });
    convertWeightOnly(m, OPTS);
    const nbits = m.graph.nodes.filter((n) => n.opType === 'MatMulNBits' && n.attributes.some((a) => a.name === 'N' && a.value.kind === 'int' && a.value.value === 16));
    expect(nbits.length).toBe(2);
    expect(nbits[0]!.inputs.slice(1)).toEqual(nbits[1]!.inputs.slice(1));
    expect([...m.graph.initializers.keys()].filter((k) => k.startsWith('w1_MatMulNBits_B'))).toEqual(['w1_MatMulNBits_B']);
  });

  it('refuses a weight type outside int4/uint4/int8/uint8 and a bad block size (E_OPTION)', () => {
    expectQtkError(() => convertWeightOnly(model(), { ...OPTS, weightType: 'int16' as never }), 'E_OPTION', 'weightType');
    expectQtkError(() => convertWeightOnly(model(), { ...OPTS, blockSize: 20 }), 'E_OPTION', 'blockSize');
  });
});
