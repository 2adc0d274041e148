/**
 * Element access the JS op paths share: read or write element i of any storage as a
 * number, the flat index of a broadcast input, and an element-by-element cast.
 * Example: `rd(new BigInt64Array([5n]), 0)` is 5.
 */
import type { NodeCtx } from '../engine/context.js';
import type { Arr, DT, Val } from '../engine/value.js';

/** Index of a broadcast input for flat output index i. */
export function bcastIndex(i: number, out: readonly number[], strides: readonly number[]): number {
  let off = 0;
  for (let d = out.length - 1; d >= 0; d--) {
    const n = out[d]!;
    off += (i % n) * strides[d]!;
    i = Math.floor(i / n);
  }
  return off;
}

/** Reads element i of any storage as a number. */
export function rd(a: Arr, i: number): number {
  const v = a[i]!;
  return typeof v === 'bigint' ? Number(v) : v;
}

/** Writes element i of any storage from a number. */
export function wr(a: Arr, i: number, v: number): void {
  if (a instanceof BigInt64Array) a[i] = BigInt(Math.trunc(v));
  else a[i] = v;
}

/** Output 0 of the node: input `x` converted element by element to `to` (bool: nonzero is 1; integers truncate). */
export function castTo(ctx: NodeCtx, x: Val, to: DT): void {
  const conv = to === 'bool' ? (v: number) => (v !== 0 ? 1 : 0) : to === 'float32' ? (v: number) => v : Math.trunc;
  ctx.js([{ dtype: to, dims: x.dims }], ([a], [o]) => { for (let i = 0; i < o!.length; i++) wr(o!, i, conv(rd(a!, i))); });
}
