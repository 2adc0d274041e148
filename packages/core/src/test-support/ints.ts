/** Test helper: deterministic pseudo-random integers and small integer tensors. */
import { Tensor } from '../ir/tensor.js';

/** Deterministic integers in [lo, hi] (LCG). */
export function ints(n: number, lo: number, hi: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return lo + (s % (hi - lo + 1));
  });
}

/** A uint8 tensor of the given values. */
export const u8 = (dims: number[], v: number[]) => new Tensor('uint8', Uint8Array.from(v), dims);

/** An int8 tensor of the given values. */
export const i8 = (dims: number[], v: number[]) => new Tensor('int8', Int8Array.from(v), dims);
