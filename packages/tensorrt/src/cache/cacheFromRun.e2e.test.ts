/**
 * Calibrate the digits CNN on onnxruntime, write the calibration cache, read it back and
 * quantize from it alone: the cache covers every activation the explicit model quantizes,
 * and its ranges give the calibrated scales (exactly on TensorRT's grid).
 */
import { describe, expect, it } from 'vitest';
import { computeQParams, convertStatic, decodeModel, isQtkError, prepareStatic, quantizeModel, type Model, type StaticState } from '@qtk/core';
import { digitsCalibration } from '@qtk/core/testing';
import { readDigits } from '@qtk/models/testing';
import { onnxruntimeBackend } from '@qtk/onnxruntime';
import { ortNode } from '@qtk/onnxruntime/node';
import { DEFAULT_TRT_VERSION } from '../options.js';
import { tensorrtCalibrator } from '../calibrators/tensorrtCalibrator.js';
import { cacheFromCalibration } from './fromCalibration.js';
import { readCalibrationCache } from './readCache.js';
import { writeCalibrationCache } from './writeCache.js';
import { rangesFromCache } from './rangesFromCache.js';
import { activationScales, ulps } from '../test-support/activationScales.js';

/** TensorRT's activation grid: symmetric int8 on [-127, 127], scale = amax / 127. */
const TRT_GRID = { dtype: 'int8', symmetric: true, narrowRange: true } as const;

/** The digits CNN calibrated with `method` on the first 256 digits; bias correction off so both runs keep the same weights. */
async function calibrated(method: 'minmax' | 'entropy'): Promise<{ model: Model; state: StaticState; options: object }> {
  const data = readDigits();
  const model = decodeModel(data.model);
  const options = { ...tensorrtCalibrator(method).options, biasCorrection: false };
  const state = await prepareStatic(model, options, { backend: onnxruntimeBackend, executor: ortNode, calibration: digitsCalibration(data) });
  return { model, state, options };
}

describe('a calibration cache from a calibrated run, and a model from the cache alone', () => {
  it('minmax: the written cache holds a scale for every quantized activation, and quantizing from it alone gives the calibrated scales', async () => {
    const { model, state, options } = await calibrated('minmax');
    const conversion = convertStatic(state);
    const want = activationScales(conversion.model);
    expect(want.size).toBeGreaterThan(3);
    const text = writeCalibrationCache(cacheFromCalibration(state, { version: DEFAULT_TRT_VERSION, algorithm: tensorrtCalibrator('minmax').algorithm }, conversion));
    expect(text.split('\n')[0]).toBe('TRT-100300-MinMaxCalibration');
    const cache = readCalibrationCache(text);
    expect([...cache.scales.keys()].filter((v) => want.has(v)).sort()).toEqual([...want.keys()].sort());
    const ranges = rangesFromCache(cache);
    const { model: fromCache, report } = await quantizeModel(model, options, { backend: onnxruntimeBackend, ranges });
    expect(report.calibration?.batches).toBe(0);
    const got = activationScales(fromCache);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [v, scale] of want) {
      const s = cache.scales.get(v)!;
      // TensorRT reads the cached range back to the cached scale on its grid, float32-exact.
      expect(computeQParams([ranges.get(v)!.min], [ranges.get(v)!.max], TRT_GRID).scale[0], v).toBe(s);
      // The Q/DQ scale covers [-127.5·scale, 127.5·scale] on onnxruntime's [-128, 127]: amax = 127.5·scale.
      expect(s, v).toBe(Math.fround((scale * 127.5) / 127));
      // From the cache, onnxruntime's grid gives the calibrated scale to within one float32 step (amax/127 is rounded).
      expect(got.get(v), v).toBe(computeQParams([ranges.get(v)!.min], [ranges.get(v)!.max], state.activationSpec).scale[0]);
      expect(ulps(got.get(v)!, scale), v).toBeLessThanOrEqual(1);
    }
    // MinMaxCalibration: amax of a calibrated tensor is max |x| over all batches, the cached scale its 127th (to a float32 step).
    for (const [v, r] of state.ranges) {
      if (!want.has(v)) continue;
      expect(ulps(cache.scales.get(v)!, Math.fround(Math.max(-r.min[0]!, r.max[0]!) / 127)), v).toBeLessThanOrEqual(1);
    }
  });

  it('entropy: the cache of the state covers every quantized activation and holds amax/127 of its Q/DQ scale; quantizing from it puts Q/DQ on the same tensors', async () => {
    const { model, state, options } = await calibrated('entropy');
    const want = activationScales(convertStatic(state).model);
    const cache = readCalibrationCache(writeCalibrationCache(cacheFromCalibration(state, { version: '8.6.1', algorithm: 'EntropyCalibration2' })));
    expect(cache).toMatchObject({ version: '8601', algorithm: 'EntropyCalibration2' });
    for (const [v, scale] of want) {
      // The Q/DQ scale covers [-127.5·scale, 127.5·scale] on [-128, 127]: amax = 127.5·scale.
      expect(cache.scales.get(v), v).toBe(Math.fround((scale * 127.5) / 127));
    }
    const { model: fromCache } = await quantizeModel(model, options, { backend: onnxruntimeBackend, ranges: rangesFromCache(cache) });
    const got = activationScales(fromCache);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [v, scale] of want) expect(ulps(got.get(v)!, scale), v).toBeLessThanOrEqual(1);
  });

  it('with calibration data besides the cache, runs it for bias correction only and keeps the cached scales', async () => {
    const { model, state } = await calibrated('minmax');
    const cache = cacheFromCalibration(state, { version: DEFAULT_TRT_VERSION, algorithm: 'MinMaxCalibration' });
    const ranges = rangesFromCache(cache);
    const options = { ...tensorrtCalibrator('minmax').options, biasCorrection: true };
    const alone = await quantizeModel(model, options, { backend: onnxruntimeBackend, ranges });
    expect(alone.report.warnings.map((w) => w.option)).toEqual(['biasCorrection']);
    const withData = await quantizeModel(model, options, { backend: onnxruntimeBackend, ranges, executor: ortNode, calibration: digitsCalibration(readDigits()) });
    expect(withData.report.warnings).toEqual([]);
    expect(withData.report.calibration?.batches).toBe(8);
    expect(activationScales(withData.model)).toEqual(activationScales(alone.model));
    // Bias correction moved some int32 bias.
    const biases = (m: Model) => [...m.graph.initializers].filter(([, t]) => t.dtype === 'int32').map(([k, t]) => `${k}:${Array.from(t.data as Int32Array).join(',')}`);
    expect(biases(withData.model).length).toBeGreaterThan(0);
    expect(biases(withData.model)).not.toEqual(biases(alone.model));
  });

  it('quantizes from a cache naming tensors the model lacks with a warning listing them, and refuses one missing a quantized tensor by name', async () => {
    const { model, state, options } = await calibrated('minmax');
    const cache = cacheFromCalibration(state, { version: DEFAULT_TRT_VERSION, algorithm: 'MinMaxCalibration' });
    const extra = new Map([...cache.scales, ['(Unnamed Layer* 3) [Convolution]_output', 0.01]]);
    const { report } = await quantizeModel(model, options, { backend: onnxruntimeBackend, ranges: rangesFromCache({ ...cache, scales: extra }) });
    expect(report.warnings.map((w) => w.message)).toContain("given ranges name 1 tensor(s) the model does not have: '(Unnamed Layer* 3) [Convolution]_output'");
    const [dropped] = [...activationScales(convertStatic(state).model).keys()];
    const partial = new Map([...cache.scales].filter(([v]) => v !== dropped));
    try {
      await quantizeModel(model, options, { backend: onnxruntimeBackend, ranges: rangesFromCache({ ...cache, scales: partial }) });
      expect.unreachable();
    } catch (e) {
      expect(isQtkError(e, 'E_OPTION')).toBe(true);
      expect((e as Error).message).toContain(`'${dropped}'`);
    }
  });
});

