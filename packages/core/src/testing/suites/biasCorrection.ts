/** Bias correction end to end: it changes only the int32 biases and raises the output SQNR. */
import { expect } from 'vitest';
import { Tensor, compareModels, quantizeModel, seededRandom, type Feeds } from '../../index.js';
import { lazy, type SuiteContext } from '../context.js';

/** `n` batches of 4 seeded uniform [0, 1) images [4, 3, 32, 32] (non-zero channel means, as pixels have). */
function images(n: number, seed: number): Feeds[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => ({ input: new Tensor('float32', [4, 3, 32, 32], Float32Array.from({ length: 4 * 3 * 32 * 32 }, () => r())) }));
}

/** Registers the biasCorrection suite. */
export function biasCorrectionSuite(t: SuiteContext): void {
  t.describe('bias correction through the executor', (s) => biasCorrection(s));
}

function biasCorrection(s: SuiteContext): void {
  const executor = s.executor;
  const setup = lazy(async () => {
    const model = s.fixtures.models.pytorchStyleCnn({ seed: 3 });
    const calib = images(8, 1), evaluation = images(4, 2);
    const on = await quantizeModel(model, {}, { backend: s.backend, executor, calibration: calib });
    const off = await quantizeModel(model, { biasCorrection: false }, { backend: s.backend, executor, calibration: calib });
    return { model, evaluation, on, off };
  });

  s.it('changes only the int32 biases, not the weights', async () => {
    const { on, off } = await setup();
    const ints = (t: Tensor | undefined) => [...(t?.data as Int32Array | Int8Array)];
    const names = [...on.model.graph.initializers.keys()].filter((k) => k.endsWith('_quantized'));
    const changed = names.filter((k) => ints(on.model.graph.initializers.get(k)).join() !== ints(off.model.graph.initializers.get(k)).join());
    expect(changed.length).toBeGreaterThan(0);
    for (const k of changed) expect(on.model.graph.initializers.get(k)!.dtype, k).toBe('int32');
  });

  s.it('raises the output SQNR on evaluation images not calibrated on', async () => {
    const { model, evaluation, on, off } = await setup();
    const a = await compareModels(model, on.model, executor, evaluation);
    const b = await compareModels(model, off.model, executor, evaluation);
    expect(a.outputs[0]!.sqnrDb).toBeGreaterThan(b.outputs[0]!.sqnrDb + 0.2);
  });
}
