/**
 * `qtk quantize --backend tensorrt` end to end on the digits CNN (and a one-layer BERT
 * encoder for INT4): the flags the backend declares, their refusals, the calibration cache
 * written and read back, FP8 and INT4 models that onnxruntime-node runs.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy, parseRawFloat32, sliceRows, Tensor, type Model } from '@qtk/core';
import { loadModelFile, saveModelFile } from '@qtk/core/node';
import { buildBertEncoder } from '@qtk/models';
import { ortNode } from '@qtk/onnxruntime/node';
import { readCalibrationCache } from '@qtk/tensorrt';
import { useTempDir } from '../test-support/tempDir.js';
import { runCli } from '../test-support/cliRun.js';

const DIGITS = fileURLToPath(new URL('../../../../fixtures/digits/', import.meta.url));
const MODEL = path.join(DIGITS, 'digits_cnn.onnx');
const tmp = useTempDir('qtk-cli-tensorrt-');
const at = (name: string) => path.join(tmp(), name);
let calib: string;
let x: Tensor;
beforeAll(async () => {
  x = parseRawFloat32(await fs.readFile(path.join(DIGITS, 'digits_x_f32_n1797_1x8x8.bin')), [1797, 1, 8, 8]);
  calib = at('calib.npy');
  await fs.writeFile(calib, encodeNpy(sliceRows(x, 0, 48)));
});

/** `qtk quantize MODEL -o OUT --backend tensorrt ...rest`. */
const trt = (out: string, ...rest: string[]) => runCli('quantize', MODEL, '-o', out, '--backend', 'tensorrt', ...rest);

/** Activation tensor → scale of each QuantizeLinear of `m`. */
function activationScales(m: Model): Map<string, number> {
  return new Map(m.graph.nodes.filter((n) => n.opType === 'QuantizeLinear').map((n) => [n.inputs[0]!, m.graph.initializers.get(n.inputs[1]!)!.toNumbers()[0]!]));
}

/** Runs `m` in onnxruntime-node on `feeds`; the first output. */
async function runOrt(m: Model, feeds: Record<string, Tensor>): Promise<Tensor> {
  const s = await ortNode.createSession(m);
  try {
    return Object.values(await s.run(feeds, m.graph.outputs.map((o) => o.name)))[0]!;
  } finally {
    await s.release();
  }
}

describe('qtk quantize --backend tensorrt: flags and help', () => {
  it("lists the backend's flags in help under its heading", async () => {
    const r = await runCli('quantize', '--help');
    const section = r.stdout.slice(r.stdout.indexOf('\nTensorRT (--backend tensorrt'));
    expect(section).toMatch(/^\nTensorRT \(--backend tensorrt; --method entropy\|minmax\|percentile\|mse picks the INT8 calibrator, default entropy\):\n/);
    for (const flag of ['--precision int8|fp8|int4', '--calibration-cache OUT.cache', '--trt-version X.Y.Z', '--from-cache IN.cache', '--int4-algorithm awq_lite|rtn']) {
      expect(section.split('\n\n')[0]).toContain(flag);
    }
  });

  it.each([
    ['--from-cache with --calib', ['--calib', 'CALIB', '--from-cache', 'CACHE'], 'fromCache', '--from-cache takes the ranges from the cache, so --calib would not be calibrated on: give one of them'],
    ['--calibration-cache with --precision int4', ['--precision', 'int4', '--int4-algorithm', 'rtn', '--calibration-cache', 'OUT.cache'], 'calibrationCache',
      "--calibration-cache: TensorRT's calibration cache holds INT8 activation ranges; --precision int4 quantizes weights only, so there is none to write"],
    ['--calibration-cache with --precision fp8', ['--calib', 'CALIB', '--precision', 'fp8', '--calibration-cache', 'OUT.cache'], 'calibrationCache',
      "--calibration-cache: TensorRT's calibration cache holds INT8 activation ranges; --precision fp8 writes FP8 scales into the model, so there is none to write"],
    ['--method with --precision fp8', ['--calib', 'CALIB', '--precision', 'fp8', '--method', 'entropy'], 'method',
      "--method: FP8 scales come from each activation's absolute maximum (TensorRT's FP8 calibration); --precision fp8 would not use it"],
    ['--method with --precision int4', ['--calib', 'CALIB', '--precision', 'int4', '--method', 'minmax'], 'method', '--method: --precision int4 quantizes weights only and calibrates no activation ranges'],
    ['--method with --from-cache', ['--from-cache', 'CACHE', '--method', 'minmax'], 'method', '--method chooses how calibration finds ranges; with --from-cache the ranges come from the cache and nothing is calibrated'],
    ['--trt-version without --calibration-cache', ['--calib', 'CALIB', '--trt-version', '8.6.1'], 'trtVersion', '--trt-version names the TensorRT version in the cache --calibration-cache writes; without it, it would do nothing'],
    ['a --trt-version that is not a version', ['--calib', 'CALIB', '--calibration-cache', 'OUT.cache', '--trt-version', 'ten'], 'trtVersion', "--trt-version must be a TensorRT version such as 10.3.0, got 'ten'"],
    ['--int4-algorithm with int8', ['--calib', 'CALIB', '--int4-algorithm', 'rtn'], 'int4Algorithm', '--int4-algorithm applies to --precision int4 only; int8 would not read it'],
    ['--block-size with int8', ['--calib', 'CALIB', '--block-size', '128'], 'blockSize', '--block-size: TensorRT takes blocked weights for --precision int4 only; int8 weights are per channel'],
    ['a method TensorRT has no calibrator for', ['--calib', 'CALIB', '--method', 'moving-average'], 'method', "--method moving-average: TensorRT's calibrators are entropy, minmax, percentile, mse"],
    ['an activation type (the precision decides it)', ['--calib', 'CALIB', '--activation-type', 'uint8'], 'activationType', '--activation-type: the activation type follows the precision (--precision int8); leave it out'],
    ['asymmetric activations', ['--calib', 'CALIB', '--asymmetric-activations'], 'symmetricActivations', '--asymmetric-activations: TensorRT takes symmetric activations only (zero point 0) (--precision int8); leave it out'],
    ['--mode dynamic', ['--calib', 'CALIB', '--mode', 'dynamic'], 'mode', '--mode dynamic: TensorRT quantizes --precision int8 in static mode (for weights only, --precision int4); leave --mode out'],
    ['--min-output-sqnr with --from-cache (it measures on calibration data)', ['--from-cache', 'CACHE', '--min-output-sqnr', '30'], 'minOutputSqnrDb', '--min-output-sqnr needs calibration data; with --from-cache there is none'],
    ['--op-types with --precision int4', ['--precision', 'int4', '--int4-algorithm', 'rtn', '--op-types', 'MatMul'], 'opTypes', '--op-types applies to --precision int8 and fp8; int4 quantizes MatMul and Gemm weights in blocks and would not read it'],
    ['--holdout with --from-cache (nothing is calibrated)', ['--from-cache', 'CACHE', '--holdout', '4'], 'holdout', '--holdout applies with --calib only, and without it would do nothing'],
    ['int8 with neither --calib nor --from-cache', [], 'calibrationData', '--precision int8 needs activation ranges: calibration data (--calib) or a TensorRT calibration cache (--from-cache)'],
    ['int4 awq_lite without --calib', ['--precision', 'int4'], 'calibrationData', '--precision int4 with awq_lite (the default --int4-algorithm) searches weight scales on calibration data: give --calib, or --int4-algorithm rtn'],
  ])('refuses %s, naming the flags, before writing anything', async (_, flags, _field, message) => {
    const cache = at('refusal.cache');
    await fs.writeFile(cache, 'TRT-100300-EntropyCalibration2\ninput: 3c010204\n');
    const out = at('refused.onnx');
    const r = await trt(out, ...flags.map((f) => (f === 'CALIB' ? calib : f === 'CACHE' ? cache : f === 'OUT.cache' ? at('refused.cache') : f)));
    expect(r.stderr).toBe(`qtk: ${message}\n`);
    expect(r.code).toBe(1);
    await expect(fs.stat(out)).rejects.toThrow();
    await expect(fs.stat(at('refused.cache'))).rejects.toThrow();
  });

  it('refuses a --calibration-cache that is the input model or -o, and a --from-cache file that cannot be read', async () => {
    const same = await trt(at('o1.onnx'), '--calib', calib, '--calibration-cache', at('o1.onnx'));
    expect(same.stderr).toBe(`qtk: --calibration-cache '${at('o1.onnx')}' is the same file as -o '${at('o1.onnx')}'; choose another path\n`);
    const input = await trt(at('o2.onnx'), '--calib', calib, '--calibration-cache', MODEL);
    expect(input.stderr).toBe(`qtk: --calibration-cache '${MODEL}' is the same file as the input model; choose another path\n`);
    const missing = await trt(at('o3.onnx'), '--from-cache', at('nope.cache'));
    expect(missing.stderr).toMatch(new RegExp(`^qtk: cannot read --from-cache '${at('nope.cache').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}': ENOENT`));
  });
});

describe('qtk quantize --backend tensorrt: models', () => {
  it('int8 with --calibration-cache writes the cache of the Q/DQ ranges; --from-cache gives a model with the same scales and weights, without calibration', async () => {
    const cacheFile = at('digits.cache');
    const a = await trt(at('a.onnx'), '--calib', calib, '--method', 'minmax', '--calibration-cache', cacheFile, '--trt-version', '8.6.1');
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toContain('mode: static (chosen by --backend tensorrt)\ntensorrt: precision int8, calibrator minmax, calibration cache for TensorRT 8.6.1\n');
    expect(a.stdout).toContain(`wrote ${at('a.onnx')} and ${cacheFile}\n`);
    const text = await fs.readFile(cacheFile, 'utf8');
    const cache = readCalibrationCache(text);
    expect([cache.version, cache.algorithm]).toEqual(['8601', 'MinMaxCalibration']);
    const qa = await loadModelFile(at('a.onnx'));
    const scales = activationScales(qa);
    expect(scales.size).toBeGreaterThan(3);
    // On the narrow int8 grid [-127, 127] (the backend's default) the Q/DQ scale is amax / 127, as TensorRT's cache scale.
    expect(cache.scales).toEqual(scales);
    for (const n of qa.graph.nodes.filter((q) => q.opType === 'QuantizeLinear')) expect(qa.graph.initializers.get(n.inputs[2]!)!.toNumbers()).toEqual([0]);

    const b = await trt(at('b.onnx'), '--from-cache', cacheFile);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toContain('tensorrt: precision int8, ranges from the calibration cache (no calibration)\n');
    expect(b.stdout).not.toContain('calibration:');
    const qb = await loadModelFile(at('b.onnx'));
    expect(activationScales(qb)).toEqual(scales);
    const weights = (m: Model) => new Map([...m.graph.initializers].filter(([, t]) => t.dtype === 'int8').map(([k, t]) => [k, [...t.toNumbers()]]));
    expect(weights(qb)).toEqual(weights(qa));
    expect(await fs.readFile(cacheFile, 'utf8')).toBe(text);
  });

  it('with --full-range-activations the cache holds amax / 127 for scale amax / 127.5, and --from-cache gives the scales back bit for bit', async () => {
    const cacheFile = at('full.cache');
    const a = await trt(at('full-a.onnx'), '--calib', calib, '--full-range-activations', '--calibration-cache', cacheFile);
    expect(a.code, a.stderr).toBe(0);
    const scales = activationScales(await loadModelFile(at('full-a.onnx')));
    const cache = readCalibrationCache(await fs.readFile(cacheFile, 'utf8'));
    // within a unit in the last place of float32: the cache scale is the one that gives back the model's scale.
    for (const [tensor, s] of scales) expect(Math.abs(cache.scales.get(tensor)! / ((s * 127.5) / 127) - 1)).toBeLessThan(2 ** -22);
    const b = await trt(at('full-b.onnx'), '--from-cache', cacheFile, '--full-range-activations');
    expect(b.code, b.stderr).toBe(0);
    expect(activationScales(await loadModelFile(at('full-b.onnx')))).toEqual(scales);
  });

  it('--from-cache with a cache that lacks a quantized activation names the tensor', async () => {
    const cacheFile = at('partial.cache');
    await fs.writeFile(cacheFile, 'TRT-100300-EntropyCalibration2\ninput: 3c010204\n');
    const r = await trt(at('partial.onnx'), '--from-cache', cacheFile);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^qtk: calibration cache '${cacheFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}' does not cover the activations TensorRT's placement quantizes: given ranges have no entry for \\d+ activation\\(s\\) the backend quantizes: '/f/f\\.2/Relu_output_0'`));
    await expect(fs.stat(at('partial.onnx'))).rejects.toThrow();
  });

  it('fp8 raises the model to opset 19, writes float8e4m3fn Q/DQ, and onnxruntime-node runs it close to float', async () => {
    const float = await loadModelFile(MODEL);
    expect(float.opsetImports.get('')).toBeLessThan(19);
    const r = await trt(at('fp8.onnx'), '--calib', calib, '--precision', 'fp8');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('options: mode static, format qdq, method minmax, activations float8e4m3fn symmetric');
    const q = await loadModelFile(at('fp8.onnx'));
    expect(q.opsetImports.get('')).toBe(19);
    const zp = q.graph.nodes.filter((n) => n.opType === 'QuantizeLinear').map((n) => q.graph.initializers.get(n.inputs[2]!)!.dtype);
    expect(zp.length).toBeGreaterThan(0);
    expect(new Set(zp)).toEqual(new Set(['float8e4m3fn']));
    const batch = sliceRows(x, 1500, 1532);
    const [yf, yq] = [await runOrt(float, { input: batch }), await runOrt(q, { input: batch })];
    const [a, b] = [yf.data as Float32Array, yq.data as Float32Array];
    let noise = 0;
    let signal = 0;
    for (let i = 0; i < a.length; i++) { signal += a[i]! ** 2; noise += (a[i]! - b[i]!) ** 2; }
    expect(10 * Math.log10(signal / noise)).toBeGreaterThan(20);
  });

  it('int4 (rtn) writes blocked int4 DequantizeLinear weights at opset 21 that onnxruntime-node runs; --calib then serves the quality check only', async () => {
    const { bert, ids, mask } = await bertFiles();
    const out = at('bert.int4.onnx');
    const r = await runCli('quantize', bert, '-o', out, '--backend', 'tensorrt', '--precision', 'int4', '--int4-algorithm', 'rtn',
      '--calib', `input_ids=${at('ids.npy')}`, '--calib', `attention_mask=${at('mask.npy')}`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('mode: weight-only (chosen by --backend tensorrt)\ntensorrt: precision int4, weights in blocks of 128, rtn\n');
    expect(r.stdout).toContain('calibration: weight-only mode needs no calibration; the data serves the quality check');
    expect(r.stdout).toMatch(/^quality: output 'last_hidden_state': SQNR \d+\.\d\d dB/m);
    const q = await loadModelFile(out);
    expect(q.opsetImports.get('')).toBe(21);
    const blocked = q.graph.nodes.filter((n) => n.opType === 'DequantizeLinear' && q.graph.initializers.get(n.inputs[0]!)?.dtype === 'int4');
    expect(blocked.length).toBeGreaterThan(0);
    for (const n of blocked) expect(n.attributes.find((a) => a.name === 'block_size')).toBeDefined();
    const y = await runOrt(q, { input_ids: ids, attention_mask: mask });
    expect(y.dims).toEqual([8, 8, 128]);
  });

  it('int4 with awq_lite (the default) calibrates on --calib in weight-only mode, holding samples back for the quality check', async () => {
    const { bert } = await bertFiles();
    const r = await runCli('quantize', bert, '-o', at('bert.awq.onnx'), '--backend', 'tensorrt', '--precision', 'int4',
      '--calib', `input_ids=${at('ids.npy')}`, '--calib', `attention_mask=${at('mask.npy')}`, '--holdout', '2');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('mode: weight-only (chosen by --backend tensorrt)\ntensorrt: precision int4, weights in blocks of 128, awq_lite\n');
    expect(r.stdout).toContain('calibration: 2 samples held back to check quality on');
    expect(r.stdout).toMatch(/^quality: output 'last_hidden_state': SQNR \d+\.\d\d dB.*\(2 held-back samples\)$/m);
    expect(r.stdout).toMatch(/^quantized \d+ ops: MatMul \d+$/m);
  });
});

/** A one-layer BERT encoder (hidden 128: one INT4 block) and 8 samples of token ids and mask, as files; made once. */
let bertMade: Promise<{ bert: string; ids: Tensor; mask: Tensor }> | undefined;
function bertFiles(): Promise<{ bert: string; ids: Tensor; mask: Tensor }> {
  bertMade ??= (async () => {
    const bert = at('bert.onnx');
    await saveModelFile(buildBertEncoder({ layers: 1, hidden: 128, heads: 2, intermediate: 256, seqLen: 8, vocab: 100 }), bert);
    const ids = new Tensor('int64', [8, 8], BigInt64Array.from({ length: 64 }, (_, i) => BigInt((i * 37) % 100)));
    const mask = new Tensor('int64', [8, 8], new BigInt64Array(64).fill(1n));
    await fs.writeFile(at('ids.npy'), encodeNpy(ids));
    await fs.writeFile(at('mask.npy'), encodeNpy(mask));
    return { bert, ids, mask };
  })();
  return bertMade;
}
