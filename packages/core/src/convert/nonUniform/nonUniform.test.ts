import { describe, expect, it } from 'vitest';
import { createGraph } from '../../ir/graph.js';
import { Tensor } from '../../ir/tensor.js';
import { GraphEditor } from '../graphEditor.js';
import { decodeNonUniform, emitExpansion, encodeNonUniform, packNibblePlanes, unpackNibblePlanes } from './index.js';

describe('nibble planes', () => {
  it('packs [1, 2, 3] as [0x31, 0x02] (first half low nibbles, second half high)', () => {
    expect(Array.from(packNibblePlanes([1, 2, 3]))).toEqual([0x31, 0x02]);
  });

  it('unpacks what it packs for odd and even lengths', () => {
    for (const n of [1, 6, 7]) {
      const codes = Uint8Array.from({ length: n }, (_, i) => (i * 7) % 16);
      expect(Array.from(unpackNibblePlanes(packNibblePlanes(codes), n))).toEqual(Array.from(codes));
    }
  });
});

describe('non-uniform encodings', () => {
  const w = new Tensor('float32', Float32Array.from({ length: 15 }, (_, i) => Math.cos(i * 1.3) * (i + 1)), [3, 5]);

  it('codebook: decodes to codebook entries only, at most 16 distinct values', () => {
    const e = encodeNonUniform(w, { kind: 'codebook', entries: 16 });
    expect(e.bits).toBe(4);
    const d = decodeNonUniform(e);
    for (const v of d) expect(Array.from(e.table)).toContain(v);
  });

  it('log2 along axis 0: each channel decodes to ±(its absmax)·2^-j or 0', () => {
    const e = encodeNonUniform(w, { kind: 'log2', bits: 8, axis: 0 });
    const d = decodeNonUniform(e);
    const src = w.data as Float32Array;
    for (let r = 0; r < 3; r++) {
      const m = Math.max(...Array.from(src.slice(r * 5, r * 5 + 5), Math.abs));
      for (let c = 0; c < 5; c++) {
        const v = d[r * 5 + c]!;
        if (v !== 0) expect(Number.isInteger(Math.log2(Math.abs(v) / Math.fround(m)))).toBe(true);
      }
    }
  });

  it('4-bit expansion: Cast → Mod/Div → Concat → Slice → Reshape → Gather, codes stored two per byte', () => {
    const g = createGraph('g');
    const ed = new GraphEditor(g);
    const e = encodeNonUniform(w, { kind: 'codebook', entries: 16 });
    const out = emitExpansion(ed, null, 'w', e);
    ed.commit();
    expect(g.nodes.map((n) => n.opType)).toEqual(['Cast', 'Mod', 'Div', 'Concat', 'Slice', 'Reshape', 'Gather']);
    expect(g.nodes[g.nodes.length - 1]!.outputs).toEqual([out]);
    const packed = g.initializers.get('w_codes_packed')!;
    expect(packed.dtype).toBe('uint8');
    expect(packed.dims).toEqual([8]);
  });

  it('8-bit log2 expansion: Cast → Gather → Mul by a [3, 1] channel scale', () => {
    const g = createGraph('g');
    const ed = new GraphEditor(g);
    emitExpansion(ed, null, 'w', encodeNonUniform(w, { kind: 'log2', bits: 8, axis: 0 }));
    ed.commit();
    expect(g.nodes.map((n) => n.opType)).toEqual(['Cast', 'Gather', 'Mul']);
    expect(g.initializers.get('w_channel_scale')!.dims).toEqual([3, 1]);
    expect(g.initializers.get('w_codes')!.dims).toEqual([3, 5]);
  });
});
