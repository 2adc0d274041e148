/**
 * `quantize` (the one-call API) and the plugin's front-end pieces on the digits CNN with
 * onnxruntime-node: INT8 with its cache and back from it, refusals named by option field,
 * the option spec's reading of a front end's values.
 */
import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRawFloat32, sliceRows, type Feeds, type Model } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { catchQtkError, catchQtkRejection } from '../../core/src/test-support/expectQtkError.js';
import { readCalibrationCache } from './cache/readCache.js';
import { activationRanges } from './cacheOfModel.js';
import { tensorrtOptionSpec } from './optionSpec.js';
import { tensorrtPlugin } from './plugin.js';
import { quantize } from './quantize.js';
import { planTensorrt } from './quantizeOptions.js';

const DIGITS = fileURLToPath(new URL('../../../fixtures/digits/', import.meta.url));
let model: Model;
let batches: Feeds[];
beforeAll(async () => {
  model = await loadModelFile(`${DIGITS}digits_cnn.onnx`);
  const x = parseRawFloat32(await fs.readFile(`${DIGITS}digits_x_f32_n1797_1x8x8.bin`), [1797, 1, 8, 8]);
  batches = [{ input: sliceRows(x, 0, 32) }, { input: sliceRows(x, 32, 64) }];
});

/** Activation tensor → Q/DQ scale of `m`. */
const scales = (m: Model) => new Map([...activationRanges(m, { narrowRange: true })].map(([k]) => [k, m.graph.initializers.get(m.graph.nodes.find((n) => n.opType === 'QuantizeLinear' && n.inputs[0] === k)!.inputs[1]!)!.toNumbers()[0]]));

describe('quantize (API)', () => {
  it('int8 with calibrationCache returns a cache naming every quantized activation; fromCache gives the same scales without calibration data', async () => {
    const a = await quantize(model, { method: 'minmax', calibrationCache: true, trtVersion: '10.9.0' }, { executor: ortNode, calibration: batches });
    expect(a.report.options.mode).toBe('static');
    const cache = readCalibrationCache(a.cache!);
    expect([cache.version, cache.algorithm]).toEqual(['100900', 'MinMaxCalibration']);
    expect([...cache.scales.keys()]).toEqual([...scales(a.model).keys()]);
    const b = await quantize(model, { fromCache: a.cache!, fromCacheFile: 'digits.cache' });
    expect(scales(b.model)).toEqual(scales(a.model));
    expect(b.cache).toBeUndefined();
  });

  it('leaves the input model unchanged', async () => {
    const before = JSON.stringify([...model.graph.nodes.map((n) => n.name), model.opsetImports.get('')]);
    await quantize(model, { precision: 'fp8' }, { executor: ortNode, calibration: batches });
    expect(JSON.stringify([...model.graph.nodes.map((n) => n.name), model.opsetImports.get('')])).toBe(before);
  });

  it('fromCache missing an activation the placement quantizes: E_OPTION on fromCache naming the tensor and the file', async () => {
    const e = await catchQtkRejection(quantize(model, { fromCache: 'TRT-100300-EntropyCalibration2\ninput: 3c010204\n', fromCacheFile: 'part.cache' }));
    expect([e.code, e.where.option, e.where.tensor, e.where.file]).toEqual(['E_OPTION', 'fromCache', '/f/f.2/Relu_output_0', 'part.cache']);
    expect(e.message).toMatch(/^calibration cache 'part\.cache' does not cover the activations TensorRT's placement quantizes: /);
  });

  it('names options by field and calibration data as ctx.calibration in its refusals', async () => {
    const e = await catchQtkRejection(quantize(model, { fromCache: 'TRT-100300-EntropyCalibration2\n' }, { executor: ortNode, calibration: batches }));
    expect([e.where.option, e.message]).toEqual(['fromCache', 'option fromCache takes the ranges from the cache, so ctx.calibration would not be calibrated on: give one of them']);
    const f = await catchQtkRejection(quantize(model, { precision: 'fp8' }));
    expect(f.message).toBe('option precision fp8 needs calibration data (ctx.calibration) for its activation scales');
  });
});

describe('planTensorrt', () => {
  const label = (n: string) => `<${n}>`;
  it('fills in the defaults: int8 entropy for TensorRT 10.3.0 without a cache, int4 awq_lite in blocks of 128', () => {
    expect(planTensorrt({}, true, label)).toEqual({ precision: 'int8', source: 'calibration', method: 'entropy', writeCache: false, trtVersion: '10.3.0' });
    expect(planTensorrt({ precision: 'int4' }, true, label)).toEqual({ precision: 'int4', algorithm: 'awq_lite', blockSize: 128 });
    expect(planTensorrt({ precision: 'int4', int4Algorithm: 'rtn', blockSize: 64 }, false, label)).toEqual({ precision: 'int4', algorithm: 'rtn', blockSize: 64 });
  });

  it('refuses INT8-and-FP8 options with int4, naming the field', () => {
    const e = catchQtkError(() => planTensorrt({ precision: 'int4', int4Algorithm: 'rtn', minOutputSqnrDb: 30 }, false, label));
    expect([e.where.option, e.message]).toEqual(['minOutputSqnrDb', '<minOutputSqnrDb> applies to <precision> int8 and fp8; int4 quantizes MatMul and Gemm weights in blocks and would not read it']);
  });

  it('refuses bias correction with a cache (no data for its channel means)', () => {
    const e = catchQtkError(() => planTensorrt({ fromCache: 'x', biasCorrection: true }, false, label));
    expect([e.where.option, e.message]).toEqual(['biasCorrection', '<biasCorrection> needs calibration data; with <fromCache> there is none']);
  });
});

describe("the tensorrt plugin's front-end pieces", () => {
  const input = (values: Record<string, unknown>, hasCalibrationData: boolean, options = {}) =>
    tensorrtOptionSpec.toBackendOptions({ values: values as never, options, hasCalibrationData, label: (n) => `--${n}` });

  it('reads a written file option as a flag, a read file as its text and path, and picks mode and data use by precision', () => {
    const bytes = new TextEncoder().encode('TRT-100300-EntropyCalibration2\ninput: 3c010204\n');
    const c = input({ fromCache: { path: 'in.cache', bytes } }, false);
    expect(c.backendOptions).toEqual({ fromCache: 'TRT-100300-EntropyCalibration2\ninput: 3c010204\n', fromCacheFile: 'in.cache' });
    expect([c.mode, c.calibration, c.summary]).toEqual(['static', 'unused', 'precision int8, ranges from the calibration cache (no calibration)']);
    const w = input({ calibrationCache: 'out.cache', trtVersion: '8.6.1' }, true);
    expect(w.backendOptions).toEqual({ calibrationCache: true, trtVersion: '8.6.1' });
    expect(w.calibration).toBe('needed');
    expect([input({ precision: 'int4', int4Algorithm: 'rtn' }, true).mode, input({ precision: 'int4', int4Algorithm: 'rtn' }, true).calibration]).toEqual(['weight-only', 'unused']);
    expect(input({ precision: 'int4' }, true).calibration).toBe('needed');
  });

  it('quantize refuses a core option it does not read, naming it, rather than dropping it', async () => {
    const e = await catchQtkRejection(tensorrtPlugin.quantize!(model, { mode: 'static', averagingConstant: 0.1 }, { executor: ortNode, calibration: batches }));
    expect([e.code, e.where.option, e.message]).toEqual(['E_OPTION', 'averagingConstant', "option averagingConstant: the tensorrt backend's quantize does not read it"]);
  });

  it('quantize gives the cache as the calibrationCache output a front end writes', async () => {
    const r = await tensorrtPlugin.quantize!(model, { mode: 'static', method: 'entropy', backendOptions: { calibrationCache: true } }, { executor: ortNode, calibration: batches });
    expect(Object.keys(r.outputs ?? {})).toEqual(['calibrationCache']);
    expect(readCalibrationCache(r.outputs!.calibrationCache as string).algorithm).toBe('EntropyCalibration2');
  });
});
