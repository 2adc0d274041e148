import { describe, expect, it } from 'vitest';
import { convertWeightOnly, Tensor } from '@qtk/core';
import { dequantizeBlockCodes, transpose2d } from '@qtk/core/internal';
import { expectQtkError } from '../../../../core/src/test-support/expectQtkError.js';
import { OPTS, ramp, weightOnlyModel as model } from '../../../../core/src/convert/weightOnly/test-support/weightOnlyModel.js';
import { packGatherBlockQuantized } from './gatherBlockQuantized.js';
import { packMatMulNBits } from './matMulNBits.js';
import { ortWeightOnlyWriter } from './nbitsWriter.js';


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

describe('convertWeightOnly with the onnxruntime writer', () => {
  it('with the onnxruntime writer: MatMul and Gemm become MatMulNBits, Gather GatherBlockQuantized, float weights are dropped', () => {
    const m = model();
    const r = convertWeightOnly(m, OPTS, ortWeightOnlyWriter);
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

  it('packs a weight read by two MatMuls once and shares its initializers', () => {
    const m = model();
    m.graph.nodes.push({ name: 'mm2', opType: 'MatMul', domain: '', inputs: ['x', 'w1'], outputs: ['h2'], attributes: [] });
    m.graph.outputs.push({ name: 'h2' });
    convertWeightOnly(m, OPTS, ortWeightOnlyWriter);
    const nbits = m.graph.nodes.filter((n) => n.opType === 'MatMulNBits' && n.attributes.some((a) => a.name === 'N' && a.value.kind === 'int' && a.value.value === 16));
    expect(nbits.length).toBe(2);
    expect(nbits[0]!.inputs.slice(1)).toEqual(nbits[1]!.inputs.slice(1));
    expect([...m.graph.initializers.keys()].filter((k) => k.startsWith('w1_MatMulNBits_B'))).toEqual(['w1_MatMulNBits_B']);
  });
});
