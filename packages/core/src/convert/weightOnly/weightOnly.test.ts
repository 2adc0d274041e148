import { describe, expect, it } from 'vitest';
import { Tensor } from '../../ir/tensor.js';
import { expectQtkError } from '../../test-support/expectQtkError.js';
import { convertWeightOnly } from './index.js';
import { OPTS, ramp, weightOnlyModel as model } from './test-support/weightOnlyModel.js';

describe('convertWeightOnly (standard form)', () => {
  it("without a writer: blocked DequantizeLinear before every op, opset raised to 21", () => {
    const m = model();
    convertWeightOnly(m, OPTS);
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

  it("keeps nodes float with the opset refusal as reason when the opset cannot be raised", () => {
    const m = model(17, 'Split');
    const r = convertWeightOnly(m, OPTS);
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

  it('refuses a weight type outside int4/uint4/int8/uint8 and a bad block size (E_OPTION)', () => {
    expectQtkError(() => convertWeightOnly(model(), { ...OPTS, weightType: 'int16' as never }), 'E_OPTION', 'weightType');
    expectQtkError(() => convertWeightOnly(model(), { ...OPTS, blockSize: 20 }), 'E_OPTION', 'blockSize');
  });

  it('narrowRange: int4 symmetric blocks take scale absmax / 7 and codes in [-7, 7]', () => {
    const m = model();
    convertWeightOnly(m, { ...OPTS, narrowRange: true, opTypes: ['MatMul'] });
    const w = ramp(512);
    const scale = m.graph.initializers.get('w1_scale')!;
    // w1 is [32, 16] in blocks of 16 along axis 0: block 0 of column 0 holds rows 0..15
    let amax = 0;
    for (let k = 0; k < 16; k++) amax = Math.max(amax, Math.abs(w[k * 16]!));
    expect(scale.dims).toEqual([2, 16]);
    expect(scale.get(0)).toBe(Math.fround(amax / 7));
    const codes = m.graph.initializers.get('w1_quantized')!;
    const values = Array.from({ length: 512 }, (_, i) => codes.get(i));
    expect(Math.min(...values)).toBe(-7);
    expect(Math.max(...values)).toBe(7);
  });
});
