import { describe, expect, it } from 'vitest';
import { Tensor } from '@qtk/core';
import { sampleIndices, takeRows } from './calibSampling.js';

describe('--calib-size sampling', () => {
  it('draws n distinct ascending indices in range', () => {
    const s = sampleIndices(100, 10, 7);
    expect(s).toHaveLength(10);
    expect(new Set(s).size).toBe(10);
    expect([...s].sort((a, b) => a - b)).toEqual(s);
    for (const i of s) expect(i >= 0 && i < 100).toBe(true);
  });

  it('the same seed gives the same draw; another seed another', () => {
    expect(sampleIndices(1000, 20, 1)).toEqual(sampleIndices(1000, 20, 1));
    expect(sampleIndices(1000, 20, 1)).not.toEqual(sampleIndices(1000, 20, 2));
  });

  it('asking for as many or more than there are gives all, in order', () => {
    expect(sampleIndices(4, 4, 0)).toEqual([0, 1, 2, 3]);
    expect(sampleIndices(3, 10, 0)).toEqual([0, 1, 2]);
  });

  it('refuses a count below 1', () => {
    expect(() => sampleIndices(5, 0, 0)).toThrow('calibration sample count must be a positive integer, got 0');
  });

  it('takeRows picks rows by index', () => {
    const t = Tensor.fromFloat32(Float32Array.of(0, 1, 10, 11, 20, 21, 30, 31), [4, 2]);
    expect(takeRows(t, [1, 3]).toNumbers()).toEqual([10, 11, 30, 31]);
    expect(takeRows(t, [0, 1, 2, 3])).toBe(t);
  });
});
