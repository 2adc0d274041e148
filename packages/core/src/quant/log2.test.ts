import { describe, expect, it } from 'vitest';
import { Tensor } from '../ir/tensor.js';
import { log2Levels, log2Quantize } from './log2.js';

const values = (w: Tensor, bits: 4 | 8, axis?: number) => {
  const { codes, scale, levels } = log2Quantize(w, bits, axis);
  const inner = axis === undefined ? w.size : w.dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const ch = axis === undefined ? 1 : w.dims[axis]!;
  return Array.from(codes, (c, i) => Math.fround(levels[c]! * scale[Math.floor(i / inner) % ch]!));
};

describe('log2 weight levels', () => {
  it('has 0, ±1 … ±1/64 for 4-bit codes and leaves the last code at 0', () => {
    const l = log2Levels(4);
    expect(Array.from(l.slice(0, 8))).toEqual([0, 1, 0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625]);
    expect(l[8]).toBe(-1);
    expect(l[14]).toBe(-0.015625);
    expect(l[15]).toBe(0);
    expect(log2Levels(8)[127]).toBe(2 ** -126);
  });

  it('maps [1, -0.3, 0.05] to [1, -0.25, 0.0625] (nearest level in linear distance)', () => {
    expect(values(new Tensor('float32', Float32Array.of(1, -0.3, 0.05), [3]), 4)).toEqual([1, -0.25, 0.0625]);
  });

  it('scales each channel by its largest magnitude', () => {
    const w = new Tensor('float32', Float32Array.of(4, 1.1, -0.5, 0.24), [2, 2]);
    expect(values(w, 4, 0)).toEqual([4, 1, -0.5, 0.25]);
  });

  it('sends values below half the smallest 4-bit level to 0 and keeps them with 8-bit codes', () => {
    const w = new Tensor('float32', Float32Array.of(1, 0.007), [2]);
    expect(values(w, 4)).toEqual([1, 0]);
    expect(values(w, 8)[1]).toBe(0.0078125);
  });
});
