/**
 * Per-kernel speed on ResNet18-like conv layers (batch 1, one thread), chunked as the engine
 * runs them: im2col, GEMM and requantization times for FP32 and INT8, best of 9 runs in milliseconds (robust on a loaded
 * machine) and GEMM GOP/s.
 * Usage: npx tsx --conditions=@qtk/source packages/wasm/bench/kernels.ts
 */
import { instantiateKernels } from '../src/kernels.ts';
import { WasmHeap } from '../src/heap.ts';
import { chunkColumns } from '../src/ops/convGeometry.ts';

const k = await instantiateKernels();
const heap = new WasmHeap(k);
const best = (v: number[]) => Math.min(...v);
function time(fn: () => void, runs = 9): number {
  fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) { const a = performance.now(); fn(); t.push(performance.now() - a); }
  return best(t);
}

const layers: [string, number, number, number, number, number][] = [
  // name, C, H(=W), M, kernel, stride
  ['conv1 7x7/2', 3, 224, 64, 7, 2],
  ['layer1 3x3', 64, 56, 64, 3, 1],
  ['layer2 3x3', 128, 28, 128, 3, 1],
  ['layer3 3x3', 256, 14, 256, 3, 1],
  ['layer4 3x3', 512, 7, 512, 3, 1],
];
for (const [name, C, H, M, ks, s] of layers) {
  const pad = ks >> 1;
  const OH = Math.floor((H + 2 * pad - ks) / s) + 1, N = OH * OH, K = C * ks * ks, KP = Math.ceil(K / 2);
  const mark = heap.mark();
  const x = heap.alloc(C * H * H * 4), a = heap.alloc(Math.ceil(M / 4) * 4 * K * 4);
  const col = heap.alloc(Math.ceil(N / 8) * 8 * K * 4), c = heap.alloc(M * N * 4), y8 = heap.alloc(M * N);
  const mult = heap.put(new Float32Array(M).fill(0.001)), add = heap.alloc(M * 4);
  heap.f32(x, C * H * H).fill(0.25);
  heap.f32(a, Math.ceil(M / 4) * 4 * K).fill(0.01);
  const cf = chunkColumns(K * 4, N), cq = chunkColumns(KP * 4, N);
  const tIm = time(() => { for (let n0 = 0; n0 < N; n0 += cf) k.im2colF32(x, C, H, H, ks, ks, s, s, 1, 1, pad, pad, OH, OH, n0, Math.min(cf, N - n0), col); });
  const tG = time(() => { for (let n0 = 0; n0 < N; n0 += cf) k.sgemm(M, Math.min(cf, N - n0), K, a, col, c + n0 * 4, N); });
  const Hp = H + 2 * pad, wide = heap.alloc(C * Hp * Hp * 2 + 64) + 32;
  const tImQ = time(() => {
    k.padWidenQ(x, 0, 3, C, H, H, pad, pad, pad, pad, wide);
    for (let n0 = 0; n0 < N; n0 += cq) k.im2colQ(wide, C, Hp, Hp, ks, ks, s, s, 1, 1, OH, OH, n0, Math.min(cq, N - n0), col);
  });
  const tQ = time(() => { for (let n0 = 0; n0 < N; n0 += cq) k.qgemm(M, Math.min(cq, N - n0), KP, a, col, c + n0 * 4, N); });
  const tR = time(() => k.requant8(M, N, c, N, mult, add, 1, 0, 0, 255, y8, N));
  const gop = (2 * M * N * K) / 1e9;
  console.log(`${name.padEnd(12)} FP32 im2col ${tIm.toFixed(2)} + sgemm ${tG.toFixed(2)} ms (${(gop / tG * 1e3).toFixed(1)} GOP/s) | INT8 im2col ${tImQ.toFixed(2)} + qgemm ${tQ.toFixed(2)} ms (${(gop / tQ * 1e3).toFixed(1)} GOP/s) + requant ${tR.toFixed(2)} ms | conv ratio ${((tIm + tG) / (tImQ + tQ + tR)).toFixed(2)}x`);
  heap.release(mark);
}
