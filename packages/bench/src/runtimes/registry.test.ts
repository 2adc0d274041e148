import { describe, expect, it } from 'vitest';
import { createRegistry, isQtkError } from '@qtk/core';
import { runBench } from '../harness.js';
import { modelFromFactory } from '../modelSource.js';
import { fakeRuntime, VirtualClock } from '../test-support/fakeRuntime.js';
import { SAMPLE_MACHINE } from '../test-support/sampleResult.js';
import { matMulReluModel } from '../tinyModel.js';
import { registerBuiltinRuntimes, runtimesFrom } from './registry.js';

describe('runtimes in the plugin registry', () => {
  it('registers the built-in runtimes under kind runtime, named with their settings', () => {
    const reg = createRegistry();
    registerBuiltinRuntimes(reg, { threads: 2 });
    expect(runtimesFrom(reg).map((r) => r.name).sort()).toEqual(['onnxruntime-node@t2', 'onnxruntime-web', 'qtk-wasm']);
    expect(reg.get('runtime', 'onnxruntime-node@t2')).toMatchObject({ kind: 'runtime', settings: { threads: 2 } });
  });

  it('names the registered runtimes when a requested one is missing', () => {
    const reg = createRegistry();
    registerBuiltinRuntimes(reg);
    let err: unknown;
    try { runtimesFrom(reg, ['tensorrt']); } catch (e) { err = e; }
    expect(isQtkError(err, 'E_PLUGIN')).toBe(true);
    expect((err as Error).message).toMatch(/no runtime plugin named 'tensorrt'; registered: .*onnxruntime-node/);
  });

  it('benchmarks a third-party runtime registered beside the built-in ones', async () => {
    const reg = createRegistry();
    const clock = new VirtualClock();
    reg.register(fakeRuntime({ name: 'third-party', clock, floatMs: 7 }));
    const r = await runBench({ models: [modelFromFactory('tiny', () => matMulReluModel())], runtimes: runtimesFrom(reg, ['third-party']), precisions: ['fp32'], iterations: 2, warmup: 0, qualityRows: 0, machine: SAMPLE_MACHINE, now: clock.now });
    expect(r.cells[0]).toMatchObject({ status: 'ok', runtime: 'third-party', latencyMs: { median: 7 } });
  });
});
