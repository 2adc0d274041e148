import { describe, expect, it } from 'vitest';
import { Tensor, compareModels, quantizeModel, seededRandom, type Feeds } from '@qtk/core';
import { buildPytorchStyleCnn } from '@qtk/models';
import { ortNode } from './node.js';
import { onnxruntimeBackend } from './policy.js';

/** `n` batches of 4 seeded uniform [0, 1) images [4, 3, 32, 32] (non-zero channel means, as pixels have). */
function images(n: number, seed: number): Feeds[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => ({ input: new Tensor('float32', [4, 3, 32, 32], Float32Array.from({ length: 4 * 3 * 32 * 32 }, () => r())) }));
}

describe('bias correction through onnxruntime', async () => {
  const model = buildPytorchStyleCnn({ seed: 3 });
  const calib = images(8, 1), evaluation = images(4, 2);
  const on = await quantizeModel(model, {}, { backend: onnxruntimeBackend, executor: ortNode, calibration: calib });
  const off = await quantizeModel(model, { biasCorrection: false }, { backend: onnxruntimeBackend, executor: ortNode, calibration: calib });

  it('changes only the int32 biases, not the weights', () => {
    const ints = (t: Tensor | undefined) => [...(t?.data as Int32Array | Int8Array)];
    const names = [...on.model.graph.initializers.keys()].filter((k) => k.endsWith('_quantized'));
    const changed = names.filter((k) => ints(on.model.graph.initializers.get(k)).join() !== ints(off.model.graph.initializers.get(k)).join());
    expect(changed.length).toBeGreaterThan(0);
    for (const k of changed) expect(on.model.graph.initializers.get(k)!.dtype, k).toBe('int32');
  });

  it('raises the output SQNR on evaluation images not calibrated on', async () => {
    const a = await compareModels(model, on.model, ortNode, evaluation);
    const b = await compareModels(model, off.model, ortNode, evaluation);
    expect(a.outputs[0]!.sqnrDb).toBeGreaterThan(b.outputs[0]!.sqnrDb + 0.2);
  });
});
