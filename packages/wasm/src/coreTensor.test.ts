import { describe, expect, it } from 'vitest';
import { isQtkError, Tensor as CoreTensor } from '@qtk/core';
import { fromCoreTensor, toCoreTensor } from './coreTensor.js';
import { Tensor } from './tensor.js';

describe('core <-> wasm tensor conversion', () => {
  it('shares storage both ways and keeps type and dims', () => {
    const x = Float32Array.of(1, 2, 3, 4, 5, 6);
    const w = fromCoreTensor(new CoreTensor('float32', x, [2, 3]));
    expect(w).toBeInstanceOf(Tensor);
    expect(w.data).toBe(x);
    expect([w.type, w.dims]).toEqual(['float32', [2, 3]]);
    const back = toCoreTensor(w);
    expect(back.data).toBe(x);
    expect([back.dtype, back.dims]).toEqual(['float32', [2, 3]]);
  });

  it('converts int64 and bool tensors without copying', () => {
    const ids = BigInt64Array.of(101n, 2054n);
    expect(fromCoreTensor(new CoreTensor('int64', ids)).data).toBe(ids);
    const mask = Uint8Array.of(1, 0, 1);
    const b = toCoreTensor(new Tensor('bool', mask, [3]));
    expect([b.dtype, b.data]).toEqual(['bool', mask]);
    expect(b.data).toBe(mask);
  });

  it('throws E_DTYPE naming the tensor for a core dtype the engine lacks', () => {
    let err: unknown;
    try { fromCoreTensor(new CoreTensor('float64', Float64Array.of(1)), 'x'); } catch (e) { err = e; }
    expect(isQtkError(err, 'E_DTYPE') && err.where.tensor === 'x' && err.message.includes('float64')).toBe(true);
  });
});
