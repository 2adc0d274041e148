import { describe, expect, it } from 'vitest';
import { encodeModel, quantizeModel, Tensor as CoreTensor } from '@qtk/core';
import { ortNode } from '@qtk/onnxruntime/node';
import { buildResNet18 } from '@qtk/models';
import { InferenceSession, Tensor } from './index.js';
import { Rand } from './test-support/reference.js';

describe('session memory on ResNet18 INT8 (QDQ, 112x112)', async () => {
  const size = 112;
  const image = (seed: number) => new CoreTensor('float32', [1, 3, size, size], new Rand(seed).f32(3 * size * size));
  const { model } = await quantizeModel(buildResNet18({ seed: 1, batch: 1, imageSize: size }), {}, {
    executor: ortNode, calibration: [1, 2].map((i) => ({ input: image(i) })),
  });
  const bytes = encodeModel(model).model;
  const x = image(99);
  const feed = { input: new Tensor('float32', x.data as Float32Array, x.dims) };

  it('plans at create for the static input; a run allocates nothing', async () => {
    const s = await InferenceSession.create(bytes);
    const created = s.memory();
    expect(created.arenas).toHaveLength(1);
    expect(created.arenas[0]).toBeGreaterThan(0);
    expect(created.heap).toBe(created.constants + created.arenas[0]!);
    expect(created.wasmMemory).toBeGreaterThanOrEqual(created.heap);
    await s.run(feed);
    await s.run(feed);
    expect(s.memory()).toEqual(created);
  });

  it('kernel-memory constants stay under twice the weights (int16-packed INT8 weights and factors)', async () => {
    const s = await InferenceSession.create(bytes);
    const m = s.memory();
    let weights = 0;
    for (const t of model.graph.initializers.values()) weights += (t.data as ArrayBufferView).byteLength;
    expect(m.initializers).toBe(weights);
    expect(m.constants).toBeGreaterThan(weights);
    expect(m.constants).toBeLessThan(2 * weights);
  });

  it('the arena (tensors shared by liveness, plus scratch) stays under the unshared tensor bytes plus the two largest', async () => {
    const s = await InferenceSession.create(bytes);
    const m = s.memory();
    const [a1, a2] = m.largestActivations;
    // 64 x 56 x 56 uint8 after the stem: the two largest 8-bit activations of this input size
    expect(a1).toBeGreaterThanOrEqual(64 * 56 * 56);
    expect(a2).toBeGreaterThan(0);
    expect(m.arenas[0]!).toBeLessThan(m.activations + a1 + a2);
  });

  it('release drops the plans and their memory; the next run plans again', async () => {
    const s = await InferenceSession.create(bytes);
    const before = s.memory();
    await s.release();
    const after = s.memory();
    expect(after.arenas).toEqual([]);
    expect(after.heap).toBe(0);
    await s.run(feed);
    expect(s.memory().heap).toBe(before.heap);
  });
});
