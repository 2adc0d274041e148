/** Multidirectional (NumPy-style) broadcasting of shapes and the strides kernels iterate with. */
import { QtkError } from '@qtk/core';

/** The broadcast shape of `a` and `b`, or E_SHAPE naming `where` when they do not broadcast. */
export function broadcastDims(a: readonly number[], b: readonly number[], where: string): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new QtkError('E_SHAPE', `${where}: shapes [${a.join(',')}] and [${b.join(',')}] do not broadcast`, { node: where });
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Element strides of a dense row-major tensor of `dims` (the last axis has stride 1). */
export function rowMajorStrides(dims: readonly number[]): number[] {
  const st = new Array<number>(dims.length);
  let s = 1;
  for (let i = dims.length - 1; i >= 0; i--) { st[i] = s; s *= dims[i]!; }
  return st;
}

/** Element strides of `dims` read as `out` (0 on broadcast axes), right-aligned. */
export function broadcastStrides(dims: readonly number[], out: readonly number[]): number[] {
  const st = new Array<number>(out.length).fill(0);
  let s = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    const oi = out.length - dims.length + i;
    st[oi] = dims[i] === 1 && out[oi] !== 1 ? 0 : s;
    s *= dims[i]!;
  }
  return st;
}

/**
 * Iteration space of a binary op over `out` with input strides, merged where possible and
 * padded in front to `rank` dims; throws when more than `rank` dims are left.
 */
export function collapse(out: readonly number[], sa: readonly number[], sb: readonly number[], rank = 6): { dims: number[]; sa: number[]; sb: number[] } {
  const d: number[] = [], a: number[] = [], b: number[] = [];
  for (let i = 0; i < out.length; i++) {
    if (out[i] === 1) continue;
    const k = d.length - 1;
    if (k >= 0 && a[k] === sa[i]! * out[i]! && b[k] === sb[i]! * out[i]!) {
      d[k]! *= out[i]!; a[k] = sa[i]!; b[k] = sb[i]!;
    } else if (k >= 0 && a[k] === 0 && sa[i] === 0 && b[k] === sb[i]! * out[i]!) {
      d[k]! *= out[i]!; b[k] = sb[i]!;
    } else if (k >= 0 && b[k] === 0 && sb[i] === 0 && a[k] === sa[i]! * out[i]!) {
      d[k]! *= out[i]!; a[k] = sa[i]!;
    } else {
      d.push(out[i]!); a.push(sa[i]!); b.push(sb[i]!);
    }
  }
  if (d.length > rank) throw new QtkError('E_UNSUPPORTED', `broadcast over more than ${rank} independent dims`);
  while (d.length < rank) { d.unshift(1); a.unshift(0); b.unshift(0); }
  return { dims: d, sa: a, sb: b };
}
