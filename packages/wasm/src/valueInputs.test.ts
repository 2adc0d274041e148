import { describe, expect, it } from 'vitest';
import { InferenceSession, Tensor } from './index.js';
import { oneNodeModel } from './test-support/graphs.js';

const model = () => oneNodeModel('Reshape', [
  { name: 'x', type: 'float32', dims: [6], data: [1, 2, 3, 4, 5, 6] },
  { name: 'shape', type: 'int64', dims: [2], data: [2, 3] },
]);
const x = () => new Tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6]), [6]);
const shape = (a: number, b: number) => new Tensor('int64', BigInt64Array.of(BigInt(a), BigInt(b)), [2]);

describe('graph inputs an op needs by value (Reshape shape fed at run time)', () => {
  it('plans once per distinct value and reuses the plan for equal values', async () => {
    const s = await InferenceSession.create(model());
    expect((await s.run({ x: x(), shape: shape(2, 3) })).y0!.dims).toEqual([2, 3]);
    expect((await s.run({ x: x(), shape: shape(2, 3) })).y0!.dims).toEqual([2, 3]);
    expect(s.memory().arenas.length).toBe(1);
    const y = (await s.run({ x: x(), shape: shape(3, 2) })).y0!;
    expect(y.dims).toEqual([3, 2]);
    expect(Array.from(y.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(s.memory().arenas.length).toBe(2);
  });

  it('a cached plan keeps the values it was built for when the caller changes the fed data in place', async () => {
    const s = await InferenceSession.create(model());
    const fed = shape(2, 3);
    expect((await s.run({ x: x(), shape: fed })).y0!.dims).toEqual([2, 3]);
    (fed.data as BigInt64Array).set([3n, 2n]);
    expect((await s.run({ x: x(), shape: fed })).y0!.dims).toEqual([3, 2]);
    expect((await s.run({ x: x(), shape: shape(2, 3) })).y0!.dims).toEqual([2, 3]);
  });
});
