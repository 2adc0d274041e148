import { describe, expect, it } from 'vitest';
import { isQtkError, Tensor } from '@qtk/core';
import { Dataset } from './dataset.js';

describe('Dataset', () => {
  it('applies the transform to each item, in order, when iterated', () => {
    const seen: number[] = [];
    const ds = new Dataset([3, 1, 2], (v) => { seen.push(v); return { x: new Tensor('float32', new Float32Array([v]), [1]) }; });
    const values = [...ds].map((f) => (f.x!.data as Float32Array)[0]);
    expect(values).toEqual([3, 1, 2]);
    expect(seen).toEqual([3, 1, 2]);
  });

  it('gives each item with its feeds from entries()', () => {
    const ds = new Dataset([{ v: 5, label: 'a' }], (it) => ({ x: new Tensor('float32', new Float32Array([it.v]), [1]) }));
    const [[item, feeds]] = [...ds.entries()];
    expect(item!.label).toBe('a');
    expect((feeds!.x!.data as Float32Array)[0]).toBe(5);
  });

  it('keeps the first n items and the transform in subset(n)', () => {
    const ds = new Dataset([1, 2, 3, 4], (v) => ({ x: new Tensor('float32', new Float32Array([v * 10]), [1]) }));
    const sub = ds.subset(2);
    expect(sub.size).toBe(2);
    expect([...sub].map((f) => (f.x!.data as Float32Array)[0])).toEqual([10, 20]);
    expect(ds.subset(10).size).toBe(4);
  });

  it('refuses an item that is not feeds when no transform is given', () => {
    const ds = new Dataset([1]);
    let err: unknown;
    try { [...ds]; } catch (e) { err = e; }
    expect(isQtkError(err, 'E_OPTION')).toBe(true);
    expect((err as Error).message).toMatch(/transform/);
  });
});
