/**
 * The worker pool (`intraOpNumThreads`): outputs with 2 threads are bit-identical to one
 * thread (ResNet18 FP32 and INT8 QDQ, a model of odd shapes), sessions of one thread start no
 * worker, release() stops the workers, and a process with a pool never released still exits.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { encodeModel, quantizeModel, Tensor as CoreTensor } from '@qtk/core';
import { ortNode } from '@qtk/onnxruntime/node';
import { buildResNet18 } from '@qtk/models';
import { InferenceSession, Tensor } from './index.js';
import { liveWorkers } from './threads/spawn.js';
import { startThreads } from './threads/setup.js';
import { parallel, slotCount, splitPanels, splitSections, unitCount } from './threads/parallel.js';
import { oddShapesModel, oddShapesFeeds } from './test-support/oddShapes.js';
import { Rand } from './test-support/reference.js';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

type Feeds = Record<string, Tensor>;

/** Runs `bytes` on 1 and on `threads` threads and returns both outputs (first output). */
async function oneAndMany(bytes: Uint8Array, feeds: Feeds, threads = 2): Promise<{ one: Tensor[]; many: Tensor[]; threadsUsed: number; sections: number }> {
  const a = await InferenceSession.create(bytes);
  const b = await InferenceSession.create(bytes, { intraOpNumThreads: threads });
  try {
    const ra = await a.run(feeds);
    const before = splitSections();
    const rb = await b.run(feeds);
    return { one: a.outputNames.map((n) => ra[n]!), many: b.outputNames.map((n) => rb[n]!), threadsUsed: b.threads, sections: splitSections() - before };
  } finally {
    await a.release();
    await b.release();
  }
}

/** Same dims and the same bits in every element. */
function expectIdentical(a: Tensor[], b: Tensor[]): void {
  expect(b.length).toBe(a.length);
  a.forEach((t, i) => {
    expect([...b[i]!.dims]).toEqual([...t.dims]);
    const x = new Uint8Array((t.data as ArrayBufferView).buffer.slice(0)), y = new Uint8Array((b[i]!.data as ArrayBufferView).buffer.slice(0));
    expect(y.length).toBe(x.length);
    expect(Buffer.compare(Buffer.from(x), Buffer.from(y))).toBe(0);
  });
}

const imageFeeds = (size: number, seed: number): Feeds => ({ input: new Tensor('float32', new Rand(seed).f32(3 * size * size), [1, 3, size, size]) });

describe('2 threads give the same bits as 1', () => {
  const size = 112;
  it('ResNet18 FP32 (112x112)', async () => {
    const bytes = encodeModel(buildResNet18({ seed: 1, batch: 1, imageSize: size })).model;
    const r = await oneAndMany(bytes, imageFeeds(size, 5));
    expect(r.threadsUsed).toBe(2);
    // every Conv and the Gemm run split
    expect(r.sections).toBeGreaterThanOrEqual(20);
    expectIdentical(r.one, r.many);
  });

  it('ResNet18 INT8 QDQ from qtk (112x112)', async () => {
    const calibration = [1, 2].map((s) => ({ input: new CoreTensor('float32', new Rand(s).f32(3 * size * size), [1, 3, size, size]) }));
    const { model } = await quantizeModel(buildResNet18({ seed: 1, batch: 1, imageSize: size }), {}, { backend: onnxruntimeBackend, executor: ortNode, calibration });
    const bytes = encodeModel(model).model;
    const s = await InferenceSession.create(bytes);
    expect(s.info.ops['qtk.wasm:QConv']).toBeGreaterThan(15);
    const r = await oneAndMany(bytes, imageFeeds(size, 6));
    expect(r.sections).toBeGreaterThanOrEqual(20);
    expectIdentical(r.one, r.many);
  });

  it('odd shapes (columns not a multiple of 8, few columns), FP32 and INT8, 2 and 3 threads', async () => {
    const m = oddShapesModel();
    const feeds = oddShapesFeeds(7);
    for (const threads of [2, 3]) {
      const r = await oneAndMany(encodeModel(m).model, feeds, threads);
      expect(r.threadsUsed).toBe(threads);
      // Conv c1, depthwise d1, Conv c2 and the MatMul run split
      expect(r.sections).toBe(4);
      expectIdentical(r.one, r.many);
    }
    const calibration = [1, 2].map((s) => Object.fromEntries(Object.entries(oddShapesFeeds(s)).map(([k, t]) => [k, new CoreTensor('float32', t.data as Float32Array, [...t.dims])])));
    const { model: q } = await quantizeModel(oddShapesModel(), {}, { backend: onnxruntimeBackend, executor: ortNode, calibration });
    const qs = await InferenceSession.create(encodeModel(q).model);
    expect((qs.info.ops['qtk.wasm:QConv'] ?? 0) + (qs.info.ops['qtk.wasm:QMatMul'] ?? 0)).toBeGreaterThanOrEqual(4);
    for (const threads of [2, 3]) {
      const r = await oneAndMany(encodeModel(q).model, feeds, threads);
      expect(r.sections).toBeGreaterThanOrEqual(3);
      expectIdentical(r.one, r.many);
    }
  });
});

describe('dispatch', () => {
  it('a kernel that traps on a worker throws E_EXECUTOR on the caller, and the pool stays usable', async () => {
    const { kernels: k, heap, pool } = await startThreads(2);
    try {
      const flag = heap.alloc(16), ones = heap.put(new Float32Array([1, 1, 1, 1]));
      const section = () => parallel(k, 2, (kk, _u, slot) => {
        if (slot === 0) {
          // the caller holds its unit until the worker has run its first kernel, so the worker takes the other
          const v = new Int32Array(k.memory.buffer, flag, 4);
          const t0 = Date.now();
          while (Atomics.load(v, 0) === 0 && Date.now() - t0 < 20_000);
          return;
        }
        kk.unaryF32(0, ones, flag, 4, 0, 0);
        kk.sgemm(4, 8, 4, 0x7ffffff0, 0x7ffffff0, 0x7ffffff0, 8);
      });
      expect(section).toThrow(expect.objectContaining({ code: 'E_EXECUTOR', message: expect.stringMatching(/pool worker.*out of bounds/) }));
      // a later section runs normally on both threads
      const N = 100, K = 16, M = 8;
      const a = heap.put(new Float32Array(M * K).fill(1)), b = heap.put(new Float32Array(Math.ceil(N / 8) * 8 * K).fill(2)), c = heap.alloc(M * N * 4);
      const units = unitCount(k, 1 << 30, Math.ceil(N / 8));
      expect(units).toBeGreaterThanOrEqual(2);
      expect(slotCount(k, units)).toBe(2);
      parallel(k, units, (kk, u) => {
        const [c0, c1] = splitPanels(N, units, u);
        kk.sgemm(M, c1 - c0, K, a, b + c0 * K * 4, c + c0 * 4, N);
      });
      expect(Array.from(heap.f32(c, M * N)).every((v) => v === 32)).toBe(true);
    } finally {
      await pool.terminate();
    }
  });

  it('a section whose recorded calls overflow a worker slot runs on the calling thread alone', async () => {
    const { kernels: k, pool } = await startThreads(2);
    try {
      let onCaller = 0;
      parallel(k, 2, (kk, _u, slot) => {
        if (slot === 0) onCaller++;
        for (let i = 0; i < 10_000; i++) kk.heapBase();
      });
      expect(onCaller).toBe(2);
    } finally {
      await pool.terminate();
    }
  });

  it('splits columns on 8-column panel bounds, covering each column once', () => {
    for (const [n, units] of [[13, 2], [49, 3], [3136, 8], [8, 1], [1000, 7]] as const) {
      let next = 0;
      for (let u = 0; u < units; u++) {
        const [c0, c1] = splitPanels(n, units, u);
        expect(c0).toBe(next);
        expect(c0 % 8).toBe(0);
        next = c1;
      }
      expect(next).toBe(n);
    }
  });
});

describe('pool lifecycle', () => {
  const bytes = encodeModel(oddShapesModel()).model;

  it('a session of one thread (the default) starts no worker', async () => {
    const before = liveWorkers();
    const s = await InferenceSession.create(bytes, { intraOpNumThreads: 1 });
    const d = await InferenceSession.create(bytes);
    await s.run(oddShapesFeeds(1));
    await d.run(oddShapesFeeds(1));
    expect(liveWorkers()).toBe(before);
    expect(s.threads).toBe(1);
    expect(d.threads).toBe(1);
  });

  it('release() stops the workers and later runs give the same output on one thread', async () => {
    const before = liveWorkers();
    const s = await InferenceSession.create(bytes, { intraOpNumThreads: 3 });
    expect(liveWorkers()).toBe(before + 2);
    expect(s.threads).toBe(3);
    const first = await s.run(oddShapesFeeds(2));
    await s.release();
    expect(liveWorkers()).toBe(before);
    expect(s.threads).toBe(1);
    const again = await s.run(oddShapesFeeds(2));
    expectIdentical(s.outputNames.map((n) => first[n]!), s.outputNames.map((n) => again[n]!));
  });

  it('rejects a thread count that is not an integer from 1 with E_OPTION, starting nothing', async () => {
    const before = liveWorkers();
    for (const n of [0, 1.5, -2, Number.NaN]) {
      await expect(InferenceSession.create(bytes, { intraOpNumThreads: n })).rejects.toMatchObject({ code: 'E_OPTION' });
    }
    expect(liveWorkers()).toBe(before);
  });

  it('accepts executionProviders as onnxruntime does', async () => {
    const s = await InferenceSession.create(bytes, { executionProviders: ['wasm'], intraOpNumThreads: 2 });
    expect(s.threads).toBe(2);
    await s.release();
  });

  for (const mode of ['release', 'keep'] as const) {
    it(`a Node process with a 2-thread session exits by itself (${mode === 'release' ? 'released' : 'never released'})`, () => {
      const child = fileURLToPath(new URL('./test-support/threadsExit.ts', import.meta.url));
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@qtk/source', child, mode], { encoding: 'utf8', timeout: 60_000 });
      expect(r.error).toBeUndefined();
      expect(r.stderr).not.toMatch(/Error/);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(mode === 'release' ? 'threads 2, live workers after release 0' : 'threads 2, live workers 1');
    });
  }
});
