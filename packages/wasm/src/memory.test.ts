import { describe, expect, it } from 'vitest';
import { encodeModel, quantizeModel, Tensor as CoreTensor } from '@qtk/core';
import { ortNode } from '@qtk/onnxruntime/node';
import { buildResNet18 } from '@qtk/models';
import { InferenceSession, Tensor } from './index.js';
import { Rand } from './test-support/reference.js';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

describe('session memory on ResNet18 INT8 (QDQ, 112x112)', async () => {
  const size = 112;
  const image = (seed: number) => new CoreTensor('float32', new Rand(seed).f32(3 * size * size), [1, 3, size, size]);
  const { model } = await quantizeModel(buildResNet18({ seed: 1, batch: 1, imageSize: size }), {}, {
    backend: onnxruntimeBackend,
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

  let weights = 0;
  for (const t of model.graph.initializers.values()) weights += (t.data as ArrayBufferView).byteLength;

  it('INT8 weights are held once, as int8 in kernel memory: JS copies are dropped after packing', async () => {
    const s = await InferenceSession.create(bytes);
    const m = s.memory();
    expect(m.initializers + m.droppedInitializers).toBe(weights);
    expect(m.initializers).toBeLessThan(0.02 * weights);
    expect(m.constants).toBeGreaterThan(weights * 0.9);
    // int8 conv weights plus the classifier's int16 B panels and per-channel factors
    expect(m.constants).toBeLessThan(1.25 * weights);
  });

  it('total memory (kernel memory + JS initializers) is under 0.9 x (2 x weights + the two largest activations)', async () => {
    const s = await InferenceSession.create(bytes);
    await s.run(feed);
    const m = s.memory();
    const [a1, a2] = m.largestActivations;
    const bound = 2 * weights + a1 + a2;
    expect(m.wasmMemory + m.initializers).toBeLessThan(0.9 * bound);
    expect(m.heap + m.initializers).toBeLessThan(0.9 * bound);
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

  it('release drops the plans and the arena but keeps the packed weights; the next run plans again with equal results', async () => {
    const s = await InferenceSession.create(bytes);
    const first = await s.run(feed);
    const before = s.memory();
    await s.release();
    const after = s.memory();
    expect(after.arenas).toEqual([]);
    expect(after.heap).toBe(before.constants);
    const again = await s.run(feed);
    expect(s.memory().heap).toBe(before.heap);
    const name = s.outputNames[0]!;
    expect(Array.from(again[name]!.data as Float32Array)).toEqual(Array.from(first[name]!.data as Float32Array));
  });

  it('a model with a symbolic input dim keeps its initializers in JS (other shapes re-pack them)', async () => {
    const m2 = (await quantizeModel(buildResNet18({ seed: 1, batch: 1, imageSize: size }), {}, {
      backend: onnxruntimeBackend,
      executor: ortNode, calibration: [1, 2].map((i) => ({ input: image(i) })),
    })).model;
    const input = m2.graph.inputs[0]!;
    if (input.type?.kind === 'tensor') input.type.shape = ['n', 3, size, size];
    const s = await InferenceSession.create(encodeModel(m2).model, { freeDimensionOverrides: { n: 1 } });
    const m = s.memory();
    expect(m.droppedInitializers).toBe(0);
    expect(m.initializers).toBe(weights);
    await s.release();
    expect(s.memory().heap).toBe(0);
    const y = await s.run(feed);
    expect(y[s.outputNames[0]!]!.dims).toEqual([1, 1000]);
  });
});

describe('session memory on ResNet18 INT8 (QDQ, 224x224)', () => {
  it('memory() total (kernel memory + JS initializers) is under 0.9 x (2 x weights + the two largest activations)', async () => {
    const size = 224;
    const image = (seed: number) => new CoreTensor('float32', new Rand(seed).f32(3 * size * size), [1, 3, size, size]);
    const { model } = await quantizeModel(buildResNet18({ seed: 1, batch: 1, imageSize: size }), {}, {
      backend: onnxruntimeBackend,
      executor: ortNode, calibration: [image(1)].map((input) => ({ input })),
    });
    let weights = 0;
    for (const t of model.graph.initializers.values()) weights += (t.data as ArrayBufferView).byteLength;
    const s = await InferenceSession.create(encodeModel(model).model);
    const x = image(99);
    await s.run({ input: new Tensor('float32', x.data as Float32Array, x.dims) });
    const m = s.memory();
    const [a1, a2] = m.largestActivations;
    expect(a1).toBe(64 * 112 * 112);
    const bound = 2 * weights + a1 + a2;
    expect(m.wasmMemory + m.initializers).toBeLessThan(0.9 * bound);
  }, 60_000);
});
