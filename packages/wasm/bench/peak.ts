/**
 * One core's SIMD peak for the INT8 GEMM's inner operation, measured with a register-only loop
 * (no memory traffic): i32x4.dot_i16x8_s + i32x4.add (8 multiply-adds per dot) on 8
 * independent accumulators. Prints the best GOP/s (2 ops per multiply-add) of the rounds.
 * Usage: npx tsx --conditions=@qtk/source packages/wasm/bench/peak.ts [rounds]
 */
import asc from 'assemblyscript/asc';

const rounds = Number(process.argv[2] ?? 15);
const source = `
export function peakDot(n: i32, p: usize): i32 {
  const a0 = v128.load(p), b0 = v128.load(p, 16), b1 = v128.load(p, 32);
  const a1 = i32x4.add(a0, b0), a2 = i32x4.add(a1, b0), a3 = i32x4.add(a2, b1);
  let c0 = i32x4.splat(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
  for (let i = 0; i < n; i++) {
    c0 = i32x4.add(c0, i32x4.dot_i16x8_s(a0, b0)); c1 = i32x4.add(c1, i32x4.dot_i16x8_s(a0, b1));
    c2 = i32x4.add(c2, i32x4.dot_i16x8_s(a1, b0)); c3 = i32x4.add(c3, i32x4.dot_i16x8_s(a1, b1));
    c4 = i32x4.add(c4, i32x4.dot_i16x8_s(a2, b0)); c5 = i32x4.add(c5, i32x4.dot_i16x8_s(a2, b1));
    c6 = i32x4.add(c6, i32x4.dot_i16x8_s(a3, b0)); c7 = i32x4.add(c7, i32x4.dot_i16x8_s(a3, b1));
  }
  const s = i32x4.add(i32x4.add(i32x4.add(c0, c1), i32x4.add(c2, c3)), i32x4.add(i32x4.add(c4, c5), i32x4.add(c6, c7)));
  return i32x4.extract_lane(s, 0);
}
`;
let binary: Uint8Array | undefined;
const { error, stderr } = await asc.main(['peak.ts', '--enable', 'simd', '--runtime', 'stub', '-O3', '--noAssert', '--initialMemory', '1', '--outFile', 'peak.wasm'], {
  readFile: (name: string) => (name === 'peak.ts' ? source : null),
  writeFile: (name: string, contents: string | Uint8Array) => { if (name.endsWith('.wasm') && typeof contents !== 'string') binary = contents; },
  listFiles: () => [],
});
if (error || !binary) throw new Error(`peak kernels did not compile: ${stderr.toString()}`);
const instance = await WebAssembly.instantiate(await WebAssembly.compile(new Uint8Array(binary)), { env: { abort() {} } });
const e = instance.exports as { peakDot(n: number, p: number): number };
const n = 10_000_000;
let dot = 0;
for (let r = 0; r < rounds; r++) {
  const t = performance.now();
  e.peakDot(n, 0);
  dot = Math.max(dot, (n * 64 * 2) / (performance.now() - t) / 1e6);
}
console.log(`one core, register-only loop, best of ${rounds} rounds: dot_i16x8_s + i32x4.add ${dot.toFixed(1)} GOP/s`);
