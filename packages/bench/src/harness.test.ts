import { describe, expect, it } from 'vitest';
import { QtkError, createGraph, createModel } from '@qtk/core';
import { runBench } from './harness.js';
import type { MachineInfo } from './machine.js';
import { modelFromFactory } from './modelSource.js';
import type { Cell, OkCell } from './result.js';
import { ortNodeRuntime } from './runtimes/ortNode.js';
import { fakeRuntime, VirtualClock } from './test-support/fakeRuntime.js';
import { matMulReluModel } from './tinyModel.js';
import { seededFeeds } from './feeds.js';
import { argmaxRows } from './quality.js';
import { ortNode } from '@qtk/onnxruntime/node';

const MACHINE: MachineInfo = { cpuModel: 'test cpu', cores: 2, isaFlags: ['avx2'], memoryGiB: 8, loadAverage: [0, 0, 0], os: 'test', arch: 'x64', node: 'v20', wasmSimd: true };
const tiny = () => modelFromFactory('tiny', () => matMulReluModel());
const ok = (c: Cell | undefined): OkCell => {
  if (c?.status !== 'ok') throw new Error(`expected a measured cell, got ${JSON.stringify(c)}`);
  return c;
};
const cell = (cells: Cell[], runtime: string, precision: string, model = 'tiny') => cells.find((c) => c.runtime === runtime && c.precision === precision && c.model === model);

describe('benchmark harness', () => {
  it('times variants interleaved A B A B after the warm-up, and reports exact medians from the clock', async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    const r = await runBench({
      models: [tiny()], runtimes: [fakeRuntime({ name: 'fake', clock, log, floatMs: 10, quantMs: 4 })], precisions: ['fp32', 'int8-dynamic'],
      iterations: 4, warmup: 2, qualityRows: 3, machine: MACHINE, now: clock.now,
    });
    // priming (1 float run), warm-up per session, 3 quality rows each, then the timed rounds
    expect(log.join('')).toBe('f' + 'ff' + 'qq' + 'fff' + 'qqq' + 'fqfqfqfq');
    const f = ok(cell(r.cells, 'fake', 'fp32'));
    const q = ok(cell(r.cells, 'fake', 'int8-dynamic'));
    expect(f.samplesMs).toEqual([10, 10, 10, 10]);
    expect(q.latencyMs.median).toBe(4);
    expect(q.latencyMs.iqr).toBe(0);
    expect(q.throughput[0]).toMatchObject({ batch: 1, samplesPerSecond: 250 });
    expect(r.settings.order).toMatch(/A B A B/);
    expect(r.machine.cpuModel).toBe('test cpu');
  });

  it('measures throughput at other batch sizes from their own interleaved runs', async () => {
    const clock = new VirtualClock();
    const r = await runBench({
      models: [tiny()], runtimes: [fakeRuntime({ name: 'fake', clock, floatMs: 8 })], precisions: ['fp32'],
      iterations: 3, warmup: 0, batchSizes: [1, 4], throughputIterations: 2, qualityRows: 0, machine: MACHINE, now: clock.now,
    });
    const f = ok(cell(r.cells, 'fake', 'fp32'));
    expect(f.throughput.map((t) => t.batch)).toEqual([1, 4]);
    expect(f.throughput[1]).toMatchObject({ batch: 4, samplesPerSecond: 500 });
    expect(r.settings.batchSizes).toEqual([1, 4]);
  });

  it('shows a runtime that cannot load as failed cells with its reason, and still measures the others', async () => {
    const clock = new VirtualClock();
    const r = await runBench({
      models: [tiny()],
      runtimes: [fakeRuntime({ name: 'missing', clock, loadError: "cannot import '@qtk/nothing'" }), fakeRuntime({ name: 'fake', clock })],
      precisions: ['fp32', 'int8-dynamic'], iterations: 2, warmup: 0, qualityRows: 1, machine: MACHINE, now: clock.now,
    });
    for (const p of ['fp32', 'int8-dynamic']) {
      expect(cell(r.cells, 'missing', p)).toMatchObject({ status: 'failed', stage: 'runtime', reason: expect.stringMatching(/@qtk\/nothing/) });
      expect(cell(r.cells, 'fake', p)?.status).toBe('ok');
    }
    expect(r.runtimes.find((x) => x.name === 'missing')?.failed).toMatch(/cannot import/);
    expect(r.runtimes.find((x) => x.name === 'fake')?.version).toBe('9.9.9');
  });

  it('keeps a variant whose session or run fails as a failed cell without stopping the rest', async () => {
    const clock = new VirtualClock();
    const r = await runBench({
      models: [tiny()],
      runtimes: [
        fakeRuntime({ name: 'nosession', clock, failQuantSessions: 'no integer kernels here' }),
        fakeRuntime({ name: 'flaky', clock, failQuantRunAt: 4 }),
      ],
      precisions: ['fp32', 'int8-dynamic'], iterations: 5, warmup: 1, qualityRows: 1, machine: MACHINE, now: clock.now,
    });
    expect(cell(r.cells, 'nosession', 'int8-dynamic')).toMatchObject({ status: 'failed', stage: 'session', reason: 'no integer kernels here' });
    expect(cell(r.cells, 'flaky', 'int8-dynamic')).toMatchObject({ status: 'failed', stage: 'run', reason: expect.stringMatching(/quantized run 4/) });
    expect(ok(cell(r.cells, 'nosession', 'fp32')).samplesMs).toHaveLength(5);
    expect(ok(cell(r.cells, 'flaky', 'fp32')).samplesMs).toHaveLength(5);
  });

  it('shows a model that will not load, and a precision that fails to quantize, with their reasons', async () => {
    const clock = new VirtualClock();
    const broken = modelFromFactory('broken', () => { throw new QtkError('E_IO', "cannot read model 'gone.onnx'"); });
    const r = await runBench({
      models: [broken, tiny()], runtimes: [fakeRuntime({ name: 'fake', clock })], precisions: ['fp32', 'int4-weight-only', 'file:/nonexistent/q.onnx'],
      iterations: 2, warmup: 0, qualityRows: 1, machine: MACHINE, now: clock.now,
    });
    expect(cell(r.cells, 'fake', 'fp32', 'broken')).toMatchObject({ status: 'failed', stage: 'model', reason: expect.stringMatching(/gone\.onnx/) });
    expect(cell(r.cells, 'fake', 'file:/nonexistent/q.onnx')).toMatchObject({ status: 'failed', stage: 'quantize', reason: expect.stringMatching(/nonexistent/) });
    // INT4 weight-only may or may not be wired into the pipeline; either way the cell is there.
    const w4 = cell(r.cells, 'fake', 'int4-weight-only')!;
    expect(w4.status === 'ok' || (w4.stage === 'quantize' && w4.reason.length > 0)).toBe(true);
    expect(cell(r.cells, 'fake', 'fp32')?.status).toBe('ok');
    expect(r.cells).toHaveLength(6);
    expect(r.models[0]!.failed).toMatch(/gone\.onnx/);
  });

  it('runs FP32 and qtk INT8 on onnxruntime-node, with size, session time and SQNR against FP32', async () => {
    const r = await runBench({
      models: [modelFromFactory('mm', () => matMulReluModel(64, 32))], runtimes: [ortNodeRuntime({ threads: 1 })],
      precisions: ['fp32', 'int8-static', 'int8-dynamic'], iterations: 3, warmup: 1, qualityRows: 4, machine: MACHINE,
    });
    const f = ok(cell(r.cells, 'onnxruntime-node@t1', 'fp32', 'mm'));
    expect(f.quality?.sqnrDb).toBe('Infinity');
    for (const p of ['int8-static', 'int8-dynamic']) {
      const q = ok(cell(r.cells, 'onnxruntime-node@t1', p, 'mm'));
      expect(q.bytes).toBeLessThan(f.bytes);
      expect(q.quality?.sqnrDb).toBeTypeOf('number');
      expect(q.quality!.sqnrDb as number).toBeGreaterThan(15);
      expect(q.quality?.rows).toBe(4);
      expect(q.sessionMs).toBeGreaterThanOrEqual(0);
    }
    expect(r.models[0]!.variants.find((v) => v.precision === 'int8-static')?.quantized).toBeGreaterThan(0);
  });

  it('reports accuracy on labelled data, consistent with top-1 agreement when the labels are FP32\'s own answers', async () => {
    const model = matMulReluModel(32, 10, 3);
    const batches = [seededFeeds(model, 16, 11), seededFeeds(model, 16, 12)];
    const s = await ortNode.createSession(model);
    const labels = await Promise.all(batches.map(async (f) => Uint8Array.from(argmaxRows((await s.run(f)).y!))));
    await s.release();
    const source = modelFromFactory('labelled', () => model, { labelled: () => ({ batches: batches.map((feeds, i) => ({ feeds, labels: labels[i]! })), description: '32 rows' }) });
    const r = await runBench({ models: [source], runtimes: [ortNodeRuntime({ threads: 1 })], precisions: ['fp32', 'int8-dynamic'], iterations: 2, warmup: 0, machine: MACHINE });
    const f = ok(cell(r.cells, 'onnxruntime-node@t1', 'fp32', 'labelled'));
    const q = ok(cell(r.cells, 'onnxruntime-node@t1', 'int8-dynamic', 'labelled'));
    expect(f.quality).toMatchObject({ accuracy: 1, rows: 32, data: '32 rows' });
    expect(q.quality!.accuracy).toBe(q.quality!.top1Agreement);
    expect(q.quality!.accuracy).toBeGreaterThan(0.5);
  });

  it('measures quality on the source\'s samples instead of random inputs, and statically calibrates on them', async () => {
    const model = matMulReluModel(32, 10, 3);
    const batches = [seededFeeds(model, 8, 21), seededFeeds(model, 8, 22)];
    let calls = 0;
    const source = modelFromFactory('own', () => model, { samples: () => { calls++; return { batches, description: '16 samples from own.npy' }; } });
    const r = await runBench({ models: [source], runtimes: [ortNodeRuntime({ threads: 1 })], precisions: ['fp32', 'int8-static'], iterations: 2, warmup: 0, qualityRows: 3, machine: MACHINE });
    const q = ok(cell(r.cells, 'onnxruntime-node@t1', 'int8-static', 'own'));
    expect(q.quality).toMatchObject({ rows: 16, data: '16 samples from own.npy', dataKind: 'samples' });
    expect(calls).toBe(2); // once to calibrate int8-static, once for quality
  });

  it('labels quality on seeded random inputs as random noise', async () => {
    const clock = new VirtualClock();
    const r = await runBench({ models: [tiny()], runtimes: [fakeRuntime({ name: 'fake', clock })], precisions: ['fp32', 'int8-dynamic'], iterations: 1, warmup: 0, qualityRows: 2, machine: MACHINE, now: clock.now });
    expect(ok(cell(r.cells, 'fake', 'int8-dynamic')).quality).toMatchObject({ rows: 2, dataKind: 'random', data: expect.stringMatching(/^2 seeded random inputs \(uniform noise/) });
  });

  it('feeds symbolic dims their sizes by name, and fails the cells naming the dim and --dim when one is unset', async () => {
    const clock = new VirtualClock();
    const g = createGraph('seq');
    g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: ['N', 'seq'] } });
    g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: ['N', 'seq'] } });
    g.nodes.push({ name: 'relu', opType: 'Relu', domain: '', inputs: ['x'], outputs: ['y'], attributes: [] });
    const model = createModel(g);
    const run = (dims?: Record<string, number>) => runBench({
      models: [modelFromFactory('seq', () => model, { ...(dims && { dims }) })], runtimes: [ortNodeRuntime({ threads: 1 })], precisions: ['fp32'],
      iterations: 1, warmup: 0, qualityRows: 1, machine: MACHINE, now: clock.now,
    });
    const unset = await run();
    expect(unset.cells[0]).toMatchObject({ status: 'failed', reason: expect.stringMatching(/symbolic dim 'seq' at axis 1 .*--dim seq=SIZE/) });
    const set = await run({ seq: 6 });
    expect(set.cells[0]?.status).toBe('ok');
    expect(set.models[0]!.inputs).toEqual(['x: 1x6']);
  });

  it('refuses two runtimes with one name', async () => {
    const clock = new VirtualClock();
    await expect(runBench({ models: [tiny()], runtimes: [fakeRuntime({ name: 'a', clock }), fakeRuntime({ name: 'a', clock })], machine: MACHINE }))
      .rejects.toThrow(/runtime 'a' is listed twice/);
  });
});
