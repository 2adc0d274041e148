/**
 * Core's bias correction with the OpenVINO backend, whose placement leaves biases float:
 * the correction changes MobileNetV2's float biases and does not lower held-out output SQNR.
 */
import { describe, expect, it } from 'vitest';
import { quantizeModel } from '@qtk/core';
import { buildMobileNetV2 } from '@qtk/models';
import { ortNode } from '@qtk/onnxruntime/node';
import { openvinoBackend } from './backend.js';
import { imageBatches, outputSqnr } from './test-support/sqnrFixtures.js';

describe('openvinoBackend: bias correction of the float biases', () => {
  it('MobileNetV2, preset performance: biasCorrection changes the float Conv biases and raises held-out output SQNR', async () => {
    const float = buildMobileNetV2({ batch: 2, imageSize: 32, seed: 5 });
    const calibration = imageBatches(1, 4, 2, 32), heldOut = imageBatches(2, 4, 2, 32);
    const q = (biasCorrection: boolean) => quantizeModel(float, { biasCorrection, backendOptions: { preset: 'performance' } }, { backend: openvinoBackend, executor: ortNode, calibration });
    const off = (await q(false)).model, on = (await q(true)).model;
    const biases = float.graph.nodes.filter((n) => n.opType === 'Conv' && n.inputs[2]).map((n) => n.inputs[2]!);
    const changed = biases.filter((b) => {
      const a = off.graph.initializers.get(b)!.data as Float32Array, c = on.graph.initializers.get(b)!.data as Float32Array;
      return a.some((v, i) => v !== c[i]);
    });
    expect(off.graph.initializers.get(biases[0]!)!.dtype).toBe('float32');
    expect(changed.length).toBeGreaterThan(biases.length / 2);
    const out = float.graph.outputs[0]!.name;
    expect(await outputSqnr(ortNode, float, on, heldOut, out)).toBeGreaterThan(await outputSqnr(ortNode, float, off, heldOut, out));
  });
});
