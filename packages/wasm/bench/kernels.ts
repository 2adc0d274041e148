/**
 * Per-kernel speed on ResNet18-like conv layers (batch 1, one thread), chunked as the engine
 * runs them: FP32 (im2col + sgemm) against INT8 with K pairs along (c, ky, kx) (im2colQ,
 * qgemm, a separate requant8 pass) and INT8 as the engine runs it (channel-pair im2colPairQ,
 * qgemmRequant8 with the requantization fused into the GEMM's store). The variants run
 * interleaved, round by round; each figure is the fastest of the rounds in milliseconds
 * (robust on a loaded machine), with the GEMM's GOP/s (2 ops per multiply-add).
 * Usage: npx tsx --conditions=@qtk/source packages/wasm/bench/kernels.ts [rounds]
 */
import { instantiateKernels } from '../src/kernels.ts';
import { WasmHeap } from '../src/heap.ts';
import { chunkColumns } from '../src/ops/convGeometry.ts';
import { windowParamsBlock } from '../src/windowParams.ts';

const rounds = Number(process.argv[2] ?? 15);
const k = await instantiateKernels();
const heap = new WasmHeap(k);

/** Fastest time of each function over interleaved rounds. */
function race(fns: (() => void)[]): number[] {
  for (const f of fns) f();
  const best = fns.map(() => Infinity);
  for (let r = 0; r < rounds; r++) {
    fns.forEach((f, i) => { const a = performance.now(); f(); best[i] = Math.min(best[i]!, performance.now() - a); });
  }
  return best;
}

const layers: [string, number, number, number, number, number][] = [
  // name, C, H(=W), M, kernel, stride
  ['conv1 7x7/2', 4, 224, 64, 7, 2],
  ['layer1 3x3', 64, 56, 64, 3, 1],
  ['layer2 3x3/2', 64, 56, 128, 3, 2],
  ['layer2 3x3', 128, 28, 128, 3, 1],
  ['layer3 3x3', 256, 14, 256, 3, 1],
  ['layer4 3x3', 512, 7, 512, 3, 1],
  ['down 1x1/2', 128, 28, 256, 1, 2],
];
let sums = [0, 0, 0];
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
  const Hp = H + 2 * pad;
  const wide = heap.alloc(C * Hp * Hp * 2 + 64) + 32, pairs = heap.alloc(Math.ceil(C / 2) * Hp * Hp * 4 + 160) + 32;
  const geom = { H, W: H, kh: ks, kw: ks, sh: s, sw: s, dh: 1, dw: 1, pt: pad, pl: pad, pb: pad, pr: pad, OH, OW: OH };
  const win = heap.put(windowParamsBlock(geom)), winPadded = heap.put(windowParamsBlock({ ...geom, H: Hp, W: Hp }));
  const tf = race([
    () => { for (let n0 = 0; n0 < N; n0 += cf) k.im2colF32(x, C, win, n0, Math.min(cf, N - n0), col); },
    () => { for (let n0 = 0; n0 < N; n0 += cf) k.sgemm(M, Math.min(cf, N - n0), K, a, col, c + n0 * 4, N); },
    () => {
      k.padWidenQ(x, 0, 3, C, H, H, pad, pad, pad, pad, wide);
      for (let n0 = 0; n0 < N; n0 += cq) k.im2colQ(wide, C, winPadded, n0, Math.min(cq, N - n0), col);
    },
    () => { for (let n0 = 0; n0 < N; n0 += cq) k.qgemm(M, Math.min(cq, N - n0), KP, a, col, c + n0 * 4, N); },
    () => k.requant8(M, N, c, N, mult, add, 1, 0, 0, 255, y8, N),
    () => {
      k.padWidenPairQ(x, 0, 3, C, H, H, pad, pad, pad, pad, pairs);
      for (let n0 = 0; n0 < N; n0 += cq) k.im2colPairQ(pairs, Math.ceil(C / 2), winPadded, n0, Math.min(cq, N - n0), col);
    },
    () => { for (let n0 = 0; n0 < N; n0 += cq) { const n = Math.min(cq, N - n0); k.qgemmRequant8(M, n, KP, a, col, c, n, mult, add, 0, 0, 255, y8 + n0, N); } },
  ]);
  const [imF, gF, imQ, gQ, rQ, imP, gP] = tf as [number, number, number, number, number, number, number];
  const gop = (2 * M * N * K) / 1e9;
  const fp = imF + gF, q = imQ + gQ + rQ, p = imP + gP;
  sums = [sums[0]! + fp, sums[1]! + q, sums[2]! + p];
  console.log(`${name.padEnd(13)} FP32 ${imF.toFixed(2)} + ${gF.toFixed(2)} (${(gop / gF * 1e3).toFixed(0)} GOP/s) | INT8 (c,ky,kx) ${imQ.toFixed(2)} + ${gQ.toFixed(2)} (${(gop / gQ * 1e3).toFixed(0)} GOP/s) + ${rQ.toFixed(2)} = ${(fp / q).toFixed(2)}x | INT8 pairs+fused ${imP.toFixed(2)} + ${gP.toFixed(2)} = ${(fp / p).toFixed(2)}x`);
  heap.release(mark);
}
console.log(`all layers once: FP32 ${sums[0]!.toFixed(2)} ms, INT8 (c,ky,kx) ${sums[1]!.toFixed(2)} ms (${(sums[0]! / sums[1]!).toFixed(2)}x), INT8 pairs+fused ${sums[2]!.toFixed(2)} ms (${(sums[0]! / sums[2]!).toFixed(2)}x)`);
