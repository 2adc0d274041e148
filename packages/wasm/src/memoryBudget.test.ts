import { describe, expect, it } from 'vitest';
import { createGraph, createModel, Tensor as CoreTensor, type Model } from '@qtk/core';
import { constantOfShapeBomb, rangeBomb } from '../../core/src/test-support/memoryBombs.js';
import { catchQtkRejection } from '../../core/src/test-support/expectQtkError.js';
import { InferenceSession, Tensor } from './index.js';

const half = (rank: number) => new Tensor('float32', new Float32Array(rank).fill(0.5), [1, rank]);

/** `y = Relu(x)` over float32 `dims`; with `fill`, x first goes through `Add(x, ConstantOfShape(fill))` (broadcast to `fill`). */
function relu(dims: number[], fill?: number[]): Model {
  const g = createGraph('relu');
  g.inputs = [{ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: dims } }];
  g.outputs = [{ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: fill ?? dims } }];
  g.nodes = [{ name: 'relu', opType: 'Relu', domain: '', inputs: [fill ? 's' : 'x'], outputs: ['y'], attributes: [] }];
  if (fill) {
    g.initializers.set('shape', CoreTensor.int64(fill, [fill.length]));
    g.nodes.unshift(
      { name: 'fill', opType: 'ConstantOfShape', domain: '', inputs: ['shape'], outputs: ['zeros'], attributes: [] },
      { name: 'add', opType: 'Add', domain: '', inputs: ['x', 'zeros'], outputs: ['s'], attributes: [] },
    );
  }
  return createModel(g, 17);
}

describe('@qtk/wasm planning under the memory budget', () => {
  it('a 16 GiB ConstantOfShape is E_MEMORY_BUDGET naming the node and value, before it is computed', async () => {
    const s = await InferenceSession.fromModel(constantOfShapeBomb());
    const e = await catchQtkRejection(s.run({ x: half(2) }));
    expect(e.code).toBe('E_MEMORY_BUDGET');
    expect(e.where).toMatchObject({ node: 'fill', tensor: 'big' });
    expect(e.message).toContain("ConstantOfShape node 'fill': value 'big' float32 [65536,65536] needs 16.0 GiB");
  });

  it('a 4 GB Range is E_MEMORY_BUDGET naming the node', async () => {
    const s = await InferenceSession.fromModel(rangeBomb());
    const e = await catchQtkRejection(s.run({ x: half(1) }));
    expect(e.code).toBe('E_MEMORY_BUDGET');
    expect(e.where.node).toBe('range');
  });

  it('a graph input of 4 GiB is E_MEMORY_BUDGET naming the input', async () => {
    const e = await catchQtkRejection(InferenceSession.fromModel(relu([32768, 32768])));
    expect(e.code).toBe('E_MEMORY_BUDGET');
    expect(e.message).toContain("graph input 'x' float32 [32768,32768] needs 4.0 GiB");
  });

  it('maxTensorBytes moves the limit for values: a 64-byte constant over 63 is refused, at 64 it runs', async () => {
    const e = await catchQtkRejection(InferenceSession.fromModel(relu([1], [4, 4]), { maxTensorBytes: 63 }));
    expect(e.where).toMatchObject({ node: 'fill', tensor: 'zeros' });
    const s = await InferenceSession.fromModel(relu([1], [4, 4]), { maxTensorBytes: 64 });
    const out = await s.run({ x: new Tensor('float32', Float32Array.of(2), [1]) });
    expect(Array.from(out.y!.data as Float32Array)).toEqual(new Array(16).fill(2));
    s.release();
  });

  it('an arena over maxArenaBytes is refused naming the value placed highest and its node', async () => {
    // x and y of 64 KiB each are live together: the arena is 128 KiB.
    const e = await catchQtkRejection(InferenceSession.fromModel(relu([128, 128]), { maxArenaBytes: 100_000 }));
    expect(e.code).toBe('E_MEMORY_BUDGET');
    expect(e.where).toMatchObject({ node: 'relu', tensor: 'y' });
    expect(e.message).toContain("the memory plan's arena (up to value 'y' float32 [128,128] of node 'relu') needs 128.0 KiB (131072 bytes), over the memory budget of 97.7 KiB; raise the session option maxArenaBytes");
    const s = await InferenceSession.fromModel(relu([128, 128]), { maxArenaBytes: 131_072 });
    expect(s.memory().arenas).toEqual([131072]);
    s.release();
  });

  it('a budget that is not a positive number is E_OPTION', async () => {
    expect((await catchQtkRejection(InferenceSession.fromModel(relu([2]), { maxArenaBytes: 0 }))).where.option).toBe('maxArenaBytes');
  });
});
