/**
 * The calibration cache with the TensorRT backend: ResNet18 (64x64) calibrated with
 * EntropyCalibration2 settings, its cache written and read back, and the model quantized
 * again from the cache alone.
 */
import { describe, expect, it } from 'vitest';
import { convertStatic, prepareStatic, quantizeModel, type Model } from '@qtk/core';
import { randomTensor } from '@qtk/core/testing';
import { buildResNet18 } from '@qtk/models';
import { ortNode } from '@qtk/onnxruntime/node';
import { tensorrtBackend } from '../backend.js';
import { tensorrtProblems } from '../validate/tensorrtProblems.js';
import { tensorrtCalibrator } from '../calibrators/tensorrtCalibrator.js';
import { DEFAULT_TRT_VERSION } from '../options.js';
import { cacheFromCalibration } from './fromCalibration.js';
import { readCalibrationCache } from './readCache.js';
import { writeCalibrationCache } from './writeCache.js';
import { rangesFromCache } from './rangesFromCache.js';
import { activationScales } from '../test-support/activationScales.js';

describe('calibration cache with the TensorRT backend', () => {
  it('ResNet18: the entropy cache covers every quantized activation and quantizing from it gives the same Q/DQ placement and the same float32 scales (the [-127, 127] grid TensorRT uses), no TensorRT problem', async () => {
    const model = buildResNet18({ seed: 1, imageSize: 64, numClasses: 100 });
    const cal = tensorrtCalibrator();
    const options = { ...cal.options, biasCorrection: false };
    const calibration = [0, 1].map((s) => ({ input: randomTensor([1, 3, 64, 64], s) }));
    const state = await prepareStatic(model, options, { backend: tensorrtBackend, executor: ortNode, calibration });
    const conversion = convertStatic(state);
    const want = activationScales(conversion.model);
    expect(want.size).toBeGreaterThan(10);
    const text = writeCalibrationCache(cacheFromCalibration(state, { version: DEFAULT_TRT_VERSION, algorithm: cal.algorithm }, conversion));
    expect(text.startsWith('TRT-100300-EntropyCalibration2\n')).toBe(true);
    const cache = readCalibrationCache(text);
    for (const v of want.keys()) expect(cache.scales.has(v), v).toBe(true);
    const { model: fromCache, report } = await quantizeModel(model, options, { backend: tensorrtBackend, ranges: rangesFromCache(cache) });
    expect(report.calibration?.batches).toBe(0);
    expect(tensorrtProblems(fromCache)).toEqual([]);
    const got = activationScales(fromCache);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [v, scale] of want) expect(got.get(v), v).toBe(scale);
  });
});
