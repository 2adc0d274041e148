/**
 * Writes seeded standard-normal float32 samples as a .npy file, for calibration or
 * comparison data where no real data is at hand (figures on it say how closely a quantized
 * model follows float on noise, not its accuracy).
 * Usage: `npx tsx --conditions=@qtk/source tools/bench/random-npy.ts OUT.npy DIMS [--seed N]`,
 * DIMS such as `32,3,224,224` (the first dim is the sample count).
 */
import { writeFile } from 'node:fs/promises';
import { encodeNpy, seededRandom, Tensor } from '@qtk/core';

const USAGE = 'usage: random-npy.ts OUT.npy DIMS [--seed N]   (DIMS: N,C,H,W...)';

/** `n` standard-normal values (Box–Muller over `seededRandom(seed)`). */
function normals(n: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-12)));
    const t = 2 * Math.PI * rand();
    out[i] = r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

const args = process.argv.slice(2);
const si = args.indexOf('--seed');
const seed = si >= 0 ? Number(args.splice(si, 2)[1]) : 0;
const [out, dimsText] = args;
const dims = dimsText?.split(',').map(Number) ?? [];
if (!out || !dims.length || dims.some((d) => !Number.isInteger(d) || d < 1) || !Number.isInteger(seed)) {
  console.error(USAGE);
  process.exit(2);
}
await writeFile(out, encodeNpy(new Tensor('float32', dims, normals(dims.reduce((a, b) => a * b, 1), seed))));
console.log(`wrote ${out}: [${dims.join(', ')}] float32, seed ${seed}`);
