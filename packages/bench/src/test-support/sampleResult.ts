/**
 * A benchmark result for report tests, made by the real harness on scripted runtimes: the
 * tiny MatMul model at FP32 and INT8 dynamic on two working runtimes, plus one runtime
 * that fails to load and one model that fails to load.
 */
import { QtkError } from '@qtk/core';
import { runBench } from '../harness.js';
import type { MachineInfo } from '../machine.js';
import { modelFromFactory } from '../modelSource.js';
import type { BenchResult } from '../result.js';
import { matMulReluModel } from '../tinyModel.js';
import { fakeRuntime, VirtualClock } from './fakeRuntime.js';

/** The machine the sample claims. */
export const SAMPLE_MACHINE: MachineInfo = {
  cpuModel: 'Sample CPU 9000', cores: 2, isaFlags: ['avx2', 'avx512_vnni'], memoryGiB: 16, loadAverage: [1, 1, 1], os: 'Linux test', arch: 'x64', node: 'v20.0.0', wasmSimd: true,
};

/** The sample result: 2 models × 3 runtimes × 2 precisions = 12 cells, 4 of them measured. */
export async function sampleResult(): Promise<BenchResult> {
  const clock = new VirtualClock();
  return runBench({
    models: [
      modelFromFactory('tiny', () => matMulReluModel(), { description: 'two-node MatMul | Relu test graph' }),
      modelFromFactory('gone', () => { throw new QtkError('E_IO', "cannot read model 'gone.onnx'"); }),
    ],
    runtimes: [
      fakeRuntime({ name: 'fast', clock, floatMs: 10, quantMs: 4 }),
      fakeRuntime({ name: 'slow', clock, floatMs: 30, quantMs: 20 }),
      fakeRuntime({ name: 'absent', clock, loadError: "cannot import '@qtk/absent' | not installed" }),
    ],
    precisions: ['fp32', 'int8-dynamic'],
    iterations: 3, warmup: 0, qualityRows: 2, machine: SAMPLE_MACHINE, now: clock.now,
  });
}
