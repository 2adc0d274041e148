import { describe, expect, it } from 'vitest';
import { instantiateKernels, type Kernels } from './kernels.js';
import { WasmHeap } from './heap.js';
import { windowParamsBlock } from './windowParams.js';
import { packAQ as packAQjs, packBQ as packBQjs } from './engine/pack.js';
import { convOut, convRef, matmulRef, Rand, rne, type ConvGeom } from './test-support/reference.js';

async function setup(): Promise<{ k: Kernels; heap: WasmHeap }> {
  const k = await instantiateKernels();
  return { k, heap: new WasmHeap(k) };
}

describe('FP32 GEMM kernel (packA/packB/sgemm/biasAct)', () => {
  const shapes: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [4, 8, 16], [13, 29, 300], [70, 9, 513], [5, 100, 64]];
  for (const [M, N, K] of shapes) {
    it(`matches a naive product for M=${M} N=${N} K=${K}, with per-column bias and Relu`, async () => {
      const { k, heap } = await setup();
      const r = new Rand(M * 1000 + N * 10 + K);
      const a = r.f32(M * K), b = r.f32(K * N), bias = r.f32(N);
      const pa = heap.put(a), pb = heap.put(b), pbias = heap.put(bias);
      const ap = heap.alloc(Math.ceil(M / 4) * 4 * K * 4), bp = heap.alloc(Math.ceil(N / 8) * 8 * K * 4), c = heap.alloc(M * N * 4);
      k.packA(pa, M, K, K, 1, ap);
      k.packB(pb, K, N, N, 1, bp);
      k.sgemm(M, N, K, ap, bp, c, N);
      k.biasAct(M, N, c, N, pbias, 2, 0, Infinity);
      const ref = matmulRef(M, K, N, a, b).map((v, i) => Math.max(0, v + bias[i % N]!));
      const got = heap.f32(c, M * N);
      for (let i = 0; i < ref.length; i++) expect(Math.abs(got[i]! - ref[i]!)).toBeLessThan(1e-4 * Math.sqrt(K) + 1e-5);
    });
  }

  it('reads transposed operands through strides', async () => {
    const { k, heap } = await setup();
    const r = new Rand(7);
    const M = 6, N = 10, K = 5;
    const at = r.f32(K * M), bt = r.f32(N * K); // A^T [K,M], B^T [N,K]
    const ap = heap.alloc(8 * K * 4), bp = heap.alloc(16 * K * 4), c = heap.alloc(M * N * 4);
    k.packA(heap.put(at), M, K, 1, M, ap);
    k.packB(heap.put(bt), K, N, 1, K, bp);
    k.sgemm(M, N, K, ap, bp, c, N);
    const a = Array.from({ length: M * K }, (_, i) => at[(i % K) * M + Math.floor(i / K)]!);
    const b = Array.from({ length: K * N }, (_, i) => bt[(i % N) * K + Math.floor(i / N)]!);
    const ref = matmulRef(M, K, N, a, b);
    const got = heap.f32(c, M * N);
    for (let i = 0; i < ref.length; i++) expect(got[i]).toBeCloseTo(ref[i]!, 5);
  });
});

describe('INT8 GEMM kernel (int16 pairs, dot_i16x8_s)', () => {
  const shapes: [number, number, number][] = [[1, 1, 1], [3, 7, 5], [4, 8, 2], [17, 33, 601], [66, 12, 9]];
  for (const [M, N, K] of shapes) {
    it(`is exact against int32 arithmetic for u8 x s8, M=${M} N=${N} K=${K}, with zero points`, async () => {
      const { k, heap } = await setup();
      const r = new Rand(M + N + K);
      const a = Uint8Array.from({ length: M * K }, () => r.int(0, 255));
      const b = Int8Array.from({ length: K * N }, () => r.int(-128, 127));
      const za = r.int(0, 255), zb = Array.from({ length: N }, () => r.int(-128, 127));
      const KP = Math.ceil(K / 2);
      const ap = heap.alloc(Math.ceil(M / 4) * 4 * KP * 4), c = heap.alloc(M * N * 4);
      k.packAQ(heap.put(a), 0, za, M, K, K, 1, ap);
      const bp = heap.put(packBQjs(b, 0, K, N, N, 1, (j) => zb[j]!));
      k.qgemm(M, N, KP, ap, bp, c, N);
      expect(Array.from(heap.i32(c, M * N))).toEqual(matmulRef(M, K, N, a, b, za, (j) => zb[j]!));
    });
  }

  it('packs A in the kernel the same way as at session creation (packAQ), over several K blocks', async () => {
    const { k, heap } = await setup();
    const r = new Rand(4);
    const M = 6, K = 1201;
    const a = Uint8Array.from({ length: M * K }, () => r.int(0, 255));
    const KP = Math.ceil(K / 2), bytes = Math.ceil(M / 4) * 4 * KP * 4;
    const dst = heap.alloc(bytes);
    k.packAQ(heap.put(a), 0, 9, M, K, K, 1, dst);
    expect(Array.from(new Int16Array(heap.bytes(dst, bytes).slice().buffer))).toEqual(Array.from(packAQjs(a, 0, M, K, K, 1, () => 9)));
  });

  it('packs B in the kernel the same way as at session creation (packBQ)', async () => {
    const { k, heap } = await setup();
    const r = new Rand(3);
    const K = 7, N = 11;
    const b = Int8Array.from({ length: K * N }, () => r.int(-128, 127));
    const KP = Math.ceil(K / 2), bytes = Math.ceil(N / 8) * 8 * KP * 4;
    const dst = heap.alloc(bytes);
    k.packBQ(heap.put(b), 1, 5, K, N, N, 1, dst);
    expect(Array.from(new Int16Array(heap.bytes(dst, bytes).slice().buffer))).toEqual(Array.from(packBQjs(b, 0, K, N, N, 1, () => 5)));
  });

  const fused: [number, number, number, boolean][] = [[4, 8, 6, false], [7, 13, 9, true], [64, 40, 300, false], [10, 21, 1100, true], [12, 49, 600, false], [8, 20, 40, true]];
  for (const [M, N, KP, signed] of fused) {
    it(`qgemmRequant8 equals qgemm then requant8 per row (M=${M} N=${N} KP=${KP}, ${signed ? 'int8' : 'uint8'} output)`, async () => {
      const { k, heap } = await setup();
      const r = new Rand(M * 7 + KP);
      const a = Int16Array.from({ length: Math.ceil(M / 4) * 4 * KP * 2 }, () => r.int(-255, 255));
      const b = Int16Array.from({ length: Math.ceil(N / 8) * 8 * KP * 2 }, () => r.int(-128, 127));
      const mult = Float32Array.from({ length: M }, () => r.float(1e-5, 1e-3)), add = Float32Array.from({ length: M }, () => r.float(-20, 20));
      const [zp, lo, hi] = signed ? [-3, -128, 127] : [120, 120, 255];
      const pa = heap.put(a), pb = heap.put(b), pm = heap.put(mult), pd = heap.put(add);
      const c = heap.alloc(M * N * 4), c2 = heap.alloc(M * N * 4), y = heap.alloc(M * N), want = heap.alloc(M * N);
      k.qgemm(M, N, KP, pa, pb, c, N);
      k.requant8(M, N, c, N, pm, pd, 1, zp, lo, hi, want, N);
      k.qgemmRequant8(M, N, KP, pa, pb, c2, N, pm, pd, zp, lo, hi, y, N);
      expect(Array.from(heap.bytes(y, M * N))).toEqual(Array.from(heap.bytes(want, M * N)));
      // not all clamped: the comparison sees rounded values
      expect(new Set(heap.bytes(y, M * N)).size).toBeGreaterThan(Math.min(20, (M * N) / 4));
    });
  }

  type A8Kernels = Kernels & {
    qgemmA8(M: number, N: number, KP: number, a: number, b: number, c: number, ldc: number, aw: number): void;
    qgemmRequant8Bias(M: number, N: number, KP: number, a: number, b: number, c: number, ldc: number, mult: number, add: number, ibias: number, zp: number, lo: number, hi: number, y: number, ldy: number, aw: number): void;
    requant8Bias(M: number, N: number, c: number, ldc: number, mult: number, add: number, ibias: number, mode: number, zp: number, lo: number, hi: number, y: number, ldy: number): void;
  };
  const a8shapes: [number, number, number][] = [[4, 8, 6], [70, 13, 600], [64, 49, 300], [7, 3, 257], [130, 40, 20]];
  for (const [M, N, KP] of a8shapes) {
    it(`qgemmA8 and qgemmRequant8Bias over int8-stored A equal qgemm and qgemmRequant8 over its int16 form (M=${M} N=${N} KP=${KP})`, async () => {
      const { k: k0, heap } = await setup();
      const k = k0 as A8Kernels;
      const r = new Rand(M * 11 + N + KP);
      const a8 = Int8Array.from({ length: Math.ceil(M / 4) * 4 * KP * 2 }, () => r.int(-128, 127));
      const b = Int16Array.from({ length: Math.ceil(N / 8) * 8 * KP * 2 }, () => r.int(-255, 255));
      const mult = Float32Array.from({ length: M }, () => r.float(1e-5, 1e-4)), add = Float32Array.from({ length: M }, () => r.float(-20, 20));
      const pa8 = heap.put(a8), pa16 = heap.put(Int16Array.from(a8)), pb = heap.put(b), pm = heap.put(mult), pd = heap.put(add);
      const aw = heap.alloc(16 * (256 * 16 + 64));
      const c = heap.alloc(M * N * 4), c2 = heap.alloc(M * N * 4), y = heap.alloc(M * N), y2 = heap.alloc(M * N);
      k.qgemm(M, N, KP, pa16, pb, c, N);
      k.qgemmA8(M, N, KP, pa8, pb, c2, N, aw);
      expect(Array.from(heap.i32(c2, M * N))).toEqual(Array.from(heap.i32(c, M * N)));
      k.qgemmRequant8(M, N, KP, pa16, pb, c, N, pm, pd, 0, -128, 127, y, N);
      k.qgemmRequant8Bias(M, N, KP, pa8, pb, c2, N, pm, pd, 0, 0, -128, 127, y2, N, aw);
      expect(Array.from(heap.bytes(y2, M * N))).toEqual(Array.from(heap.bytes(y, M * N)));
      expect(new Set(heap.bytes(y, M * N)).size).toBeGreaterThan(Math.min(20, (M * N) / 4));
    });
  }

  it('qgemmRequant8Bias adds the int32 bias to the accumulator before the float32 scale (as onnxruntime)', async () => {
    const { k: k0, heap } = await setup();
    const k = k0 as A8Kernels;
    const M = 9, N = 13, KP = 40;
    const r = new Rand(77);
    const a = Int16Array.from({ length: Math.ceil(M / 4) * 4 * KP * 2 }, () => r.int(-127, 127));
    const b = Int16Array.from({ length: Math.ceil(N / 8) * 8 * KP * 2 }, () => r.int(-255, 255));
    const mult = Float32Array.from({ length: M }, () => r.float(1e-5, 1e-4)), add = new Float32Array(M);
    const bias = Int32Array.from({ length: M }, () => r.int(-300000, 300000));
    const pa = heap.put(a), pb = heap.put(b);
    const c = heap.alloc(M * N * 4), y = heap.alloc(M * N), y2 = heap.alloc(M * N);
    k.qgemm(M, N, KP, pa, pb, c, N);
    const acc = heap.i32(c, M * N).slice();
    k.qgemmRequant8Bias(M, N, KP, pa, pb, c, N, heap.put(mult), heap.put(add), heap.put(bias), 5, -128, 127, y, N, 0);
    const want = Array.from(acc, (v, i) => Math.min(127, Math.max(-128, rne(Math.fround(Math.fround(v + bias[Math.floor(i / N)]!) * mult[Math.floor(i / N)]!)) + 5)));
    expect(Array.from(new Int8Array(heap.bytes(y, M * N).slice().buffer))).toEqual(want);
    // the same per column through requant8Bias (mode 2), and the clipped-tile path of N=13
    k.requant8Bias(1, M, heap.put(Int32Array.from({ length: M }, (_, i) => acc[i * N]!)), M, heap.put(mult), heap.put(add), heap.put(bias), 2, 5, -128, 127, y2, M);
    expect(Array.from(new Int8Array(heap.bytes(y2, M).slice().buffer))).toEqual(Array.from({ length: M }, (_, i) => want[i * N]!));
    expect(new Set(want).size).toBeGreaterThan(20);
  });

  it('requantizes half-way values to even and clamps to the fused range', async () => {
    const { k, heap } = await setup();
    const acc = Int32Array.from([1, 3, 5, -1, -3, 1000, -1000, 7, 9, 11]);
    const N = acc.length;
    const mult = new Float32Array(N).fill(0.5), add = new Float32Array(N).fill(0);
    const y = heap.alloc(N);
    k.requant8(1, N, heap.put(acc), N, heap.put(mult), heap.put(add), 2, 10, 10, 255, y, N);
    const want = Array.from(acc, (v) => Math.min(255, Math.max(10, rne(v * 0.5) + 10)));
    expect(Array.from(heap.bytes(y, N))).toEqual(want);
  });
});

describe('im2col kernels', () => {
  const geoms: ConvGeom[] = [
    { N: 1, C: 3, H: 7, W: 6, M: 4, group: 1, kh: 3, kw: 3, sh: 1, sw: 1, dh: 1, dw: 1, pt: 1, pl: 1, pb: 1, pr: 1 },
    { N: 1, C: 2, H: 9, W: 8, M: 5, group: 1, kh: 3, kw: 2, sh: 2, sw: 3, dh: 2, dw: 1, pt: 2, pl: 0, pb: 1, pr: 2 },
    { N: 1, C: 5, H: 4, W: 4, M: 3, group: 1, kh: 1, kw: 1, sh: 1, sw: 1, dh: 1, dw: 1, pt: 0, pl: 0, pb: 0, pr: 0 },
    // wide rows take the vector paths (stride 1 and stride 2) next to padded edges
    { N: 1, C: 3, H: 40, W: 45, M: 5, group: 1, kh: 7, kw: 7, sh: 2, sw: 2, dh: 1, dw: 1, pt: 3, pl: 3, pb: 3, pr: 3 },
    { N: 1, C: 2, H: 9, W: 37, M: 4, group: 1, kh: 3, kw: 3, sh: 1, sw: 1, dh: 1, dw: 2, pt: 1, pl: 2, pb: 1, pr: 2 },
    { N: 1, C: 3, H: 8, W: 50, M: 4, group: 1, kh: 1, kw: 1, sh: 2, sw: 2, dh: 1, dw: 1, pt: 0, pl: 0, pb: 0, pr: 0 },
    // narrow outputs (7 and 5 wide): panels straddle two and three output rows
    { N: 1, C: 6, H: 7, W: 7, M: 5, group: 1, kh: 3, kw: 3, sh: 1, sw: 1, dh: 1, dw: 1, pt: 1, pl: 1, pb: 1, pr: 1 },
    { N: 1, C: 4, H: 6, W: 5, M: 3, group: 1, kh: 3, kw: 3, sh: 1, sw: 1, dh: 1, dw: 1, pt: 1, pl: 1, pb: 1, pr: 1 },
  ];
  for (const g of geoms) {
    it(`im2colQ + qgemm is exact against direct integer conv (k ${g.kh}x${g.kw}, s ${g.sh},${g.sw}, d ${g.dh},${g.dw})`, async () => {
      const { k, heap } = await setup();
      const r = new Rand(g.H * 31 + g.kw);
      const x = Uint8Array.from({ length: g.C * g.H * g.W }, () => r.int(0, 255));
      const K = g.C * g.kh * g.kw, KP = Math.ceil(K / 2);
      const w = Int8Array.from({ length: g.M * K }, () => r.int(-128, 127));
      const zx = 77;
      const [OH, OW] = convOut(g);
      const col = heap.alloc(Math.ceil((OH * OW) / 8) * 8 * KP * 4), c = heap.alloc(g.M * OH * OW * 4);
      // in chunks of 48 columns, as the engine does to keep the packed columns in cache
      const ap = heap.put(packAQjs(w, 0, g.M, K, K, 1, () => 0)), xp = heap.put(x);
      const Hp = g.H + g.pt + g.pb, Wp = g.W + g.pl + g.pr;
      const wide = heap.alloc(g.C * Hp * Wp * 2 + 64) + 32;
      const win = heap.put(windowParamsBlock({ ...g, H: Hp, W: Wp, OH, OW }));
      k.padWidenQ(xp, 0, zx, g.C, g.H, g.W, g.pt, g.pl, g.pb, g.pr, wide);
      for (let n0 = 0; n0 < OH * OW; n0 += 48) {
        const cnt = Math.min(48, OH * OW - n0);
        k.im2colQ(wide, g.C, win, n0, cnt, col);
        k.qgemm(g.M, cnt, KP, ap, col, c + n0 * 4, OH * OW);
      }
      expect(Array.from(heap.i32(c, g.M * OH * OW))).toEqual(convRef(g, x, w, undefined, zx, zx));
    });

    it(`im2colPairQ + qgemm is exact against direct integer conv (k ${g.kh}x${g.kw}, s ${g.sh},${g.sw}, d ${g.dh},${g.dw}, C ${g.C})`, async () => {
      const { k, heap } = await setup();
      const r = new Rand(g.H * 13 + g.kw);
      const x = Uint8Array.from({ length: g.C * g.H * g.W }, () => r.int(0, 255));
      const w = Int8Array.from({ length: g.M * g.C * g.kh * g.kw }, () => r.int(-128, 127));
      const zx = 91, khw = g.kh * g.kw, C2 = Math.ceil(g.C / 2), KP = C2 * khw;
      // weights in channel-pair order: pair (cp, tap) holds channels 2cp and 2cp+1 (0 past C)
      const wp = new Int8Array(g.M * KP * 2);
      for (let m = 0; m < g.M; m++) for (let c = 0; c < g.C; c++) for (let t = 0; t < khw; t++) {
        wp[m * KP * 2 + ((c >> 1) * khw + t) * 2 + (c & 1)] = w[(m * g.C + c) * khw + t]!;
      }
      const [OH, OW] = convOut(g);
      const col = heap.alloc(Math.ceil((OH * OW) / 8) * 8 * KP * 4), c = heap.alloc(g.M * OH * OW * 4);
      const ap = heap.put(packAQjs(wp, 0, g.M, KP * 2, KP * 2, 1, () => 0)), xp = heap.put(x);
      const Hp = g.H + g.pt + g.pb, Wp = g.W + g.pl + g.pr;
      const wide = heap.alloc(C2 * Hp * Wp * 4 + 160) + 32;
      const win = heap.put(windowParamsBlock({ ...g, H: Hp, W: Wp, OH, OW }));
      k.padWidenPairQ(xp, 0, zx, g.C, g.H, g.W, g.pt, g.pl, g.pb, g.pr, wide);
      for (let n0 = 0; n0 < OH * OW; n0 += 48) {
        const cnt = Math.min(48, OH * OW - n0);
        k.im2colPairQ(wide, C2, win, n0, cnt, col);
        k.qgemm(g.M, cnt, KP, ap, col, c + n0 * 4, OH * OW);
      }
      expect(Array.from(heap.i32(c, g.M * OH * OW))).toEqual(convRef(g, x, w, undefined, zx, zx));
    });

    it(`im2colF32 + sgemm matches direct float conv (k ${g.kh}x${g.kw}, s ${g.sh},${g.sw}, d ${g.dh},${g.dw})`, async () => {
      const { k, heap } = await setup();
      const r = new Rand(g.W * 17 + g.kh);
      const x = r.f32(g.C * g.H * g.W), K = g.C * g.kh * g.kw, w = r.f32(g.M * K);
      const [OH, OW] = convOut(g);
      const col = heap.alloc(Math.ceil((OH * OW) / 8) * 8 * K * 4), c = heap.alloc(g.M * OH * OW * 4);
      const ap = heap.alloc(Math.ceil(g.M / 4) * 4 * K * 4);
      k.packA(heap.put(w), g.M, K, K, 1, ap);
      const xp = heap.put(x), win = heap.put(windowParamsBlock({ ...g, OH, OW }));
      for (let n0 = 0; n0 < OH * OW; n0 += 40) {
        const cnt = Math.min(40, OH * OW - n0);
        k.im2colF32(xp, g.C, win, n0, cnt, col);
        k.sgemm(g.M, cnt, K, ap, col, c + n0 * 4, OH * OW);
      }
      const ref = convRef(g, x, w);
      const got = heap.f32(c, ref.length);
      for (let i = 0; i < ref.length; i++) expect(got[i]).toBeCloseTo(ref[i]!, 5);
    });
  }
});

describe('quantize kernels', () => {
  it('QuantizeLinear saturates infinities and huge values and maps NaN to 0 in the vector path', async () => {
    const { k, heap } = await setup();
    const x = Float32Array.from([Infinity, -Infinity, NaN, 1e30, -1e30, 2.5, 3.5, -2.5, 0.49999997, -0.5, 126.5, 127.5, 250, -250, 0, -0]);
    for (const [lo, hi, zp] of [[0, 255, 3], [-128, 127, -7]] as const) {
      const y = heap.alloc(x.length);
      k.quantizeF32(heap.put(x), y, 1, 1, x.length, heap.put(Float32Array.of(1)), heap.put(Int32Array.of(zp)), 0, lo, hi);
      const want = Array.from(x, (v) => (Number.isNaN(v) ? 0 : Math.min(hi, Math.max(lo, rne(v) + zp))));
      const got = heap.bytes(y, x.length).slice();
      expect(Array.from(lo < 0 ? new Int8Array(got.buffer) : got)).toEqual(want);
    }
  });

  it('QuantizeLinear rounds half to even and saturates, per axis', async () => {
    const { k, heap } = await setup();
    const x = Float32Array.from([0.5, 1.5, 2.5, -0.5, -1.5, 300, -300, 0.26, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const scale = Float32Array.from([1, 0.5]), zp = Int32Array.from([0, 3]);
    const y = heap.alloc(x.length);
    k.quantizeF32(heap.put(x), y, 1, 2, 9, heap.put(scale), heap.put(zp), 1, -128, 127);
    const want = Array.from(x, (v, i) => { const c = i < 9 ? 0 : 1; return Math.min(127, Math.max(-128, rne(v / scale[c]!) + zp[c]!)); });
    expect(Array.from(new Int8Array(heap.bytes(y, x.length).slice().buffer))).toEqual(want);
  });
});
