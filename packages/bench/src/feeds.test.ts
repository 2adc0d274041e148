import { describe, expect, it } from 'vitest';
import { createGraph, createModel, isQtkError } from '@qtk/core';
import { dimSizesOf, inputDims, seededFeeds, symbolicDims } from './feeds.js';
import { matMulReluModel } from './tinyModel.js';

function bertLike() {
  const g = createGraph('b');
  g.inputs.push(
    { name: 'input_ids', type: { kind: 'tensor', dtype: 'int64', shape: ['N', 'S'] } },
    { name: 'attention_mask', type: { kind: 'tensor', dtype: 'int64', shape: ['N', 'S'] } },
  );
  return createModel(g);
}

describe('seeded feeds', () => {
  it('gives the same numbers for the same seed and others for another seed', () => {
    const m = matMulReluModel();
    const a = seededFeeds(m, 2, 7).x!.data as Float32Array;
    const b = seededFeeds(m, 2, 7).x!.data as Float32Array;
    const c = seededFeeds(m, 2, 8).x!.data as Float32Array;
    expect([...a]).toEqual([...b]);
    expect([...a]).not.toEqual([...c]);
    expect(a.every((v) => v >= -1 && v < 1)).toBe(true);
  });

  it('puts the batch in a symbolic first dim', () => {
    expect(seededFeeds(matMulReluModel(16, 8), 5, 1).x!.dims).toEqual([5, 16]);
  });

  it('needs sizes for other symbolic dims: E_SHAPE naming the input, the dim, its axis and the --dim flag', () => {
    let err: unknown;
    try { inputDims(bertLike(), 'input_ids', 1); } catch (e) { err = e; }
    expect(isQtkError(err, 'E_SHAPE')).toBe(true);
    expect((err as Error).message).toMatch(/input 'input_ids' \[N,S\] has symbolic dim 'S' at axis 1 and nothing sets its size; give it with --dim S=SIZE/);
  });

  it('sizes symbolic dims by name, and a dim named like a first dim as the batch wherever it sits', () => {
    const g = createGraph('s');
    g.inputs.push(
      { name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: ['B', 'S', 4] } },
      { name: 'state', type: { kind: 'tensor', dtype: 'float32', shape: [2, 'B', 'H'] } },
    );
    const m = createModel(g);
    expect(symbolicDims(m)).toEqual({ batch: new Set(['B']), other: new Set(['S', 'H']) });
    const f = seededFeeds(m, 3, 1, {}, { S: 5, H: 7 });
    expect(f.x!.dims).toEqual([3, 5, 4]);
    expect(f.state!.dims).toEqual([2, 3, 7]);
    expect(() => seededFeeds(m, 3, 1, {}, { S: 5 })).toThrow(/'state' \[2,B,H\] has symbolic dim 'H' at axis 2/);
  });

  it('reads the sizes of named symbolic dims off fed tensors, leaving the batch out', () => {
    const f = seededFeeds(bertLike(), 4, 1, {}, { S: 9 });
    expect(dimSizesOf(bertLike(), f)).toEqual({ S: 9 });
  });

  it('fills integer ids in range and masks with ones, sized by the specs', () => {
    const f = seededFeeds(bertLike(), 2, 1, { input_ids: { dims: (n) => [n, 16], range: [0, 30] }, attention_mask: { dims: (n) => [n, 16] } });
    expect(f.input_ids!.dims).toEqual([2, 16]);
    const ids = [...(f.input_ids!.data as BigInt64Array)].map(Number);
    expect(ids.every((v) => Number.isInteger(v) && v >= 0 && v < 30)).toBe(true);
    expect(new Set(ids).size).toBeGreaterThan(1);
    expect([...(f.attention_mask!.data as BigInt64Array)].every((v) => v === 1n)).toBe(true);
  });
});
