/**
 * The overflow fix: which weights go on half the int8 range under each mode (ResNet18,
 * MobileNetV2), what that does to the written weights and scales, the default by scheme, and
 * the float8 option pairs NNCF refuses.
 */
import { describe, expect, it } from 'vitest';
import { isQtkError, quantizeModel, quantSpec, PER_TENSOR, type Model, type QuantizeOptions } from '@qtk/core';
import { buildMobileNetV2, buildResNet18 } from '@qtk/models';
import { ortNode } from '@qtk/onnxruntime/node';
import { openvinoBackend } from '../backend.js';
import { resolveOpenvinoOptions, type OpenvinoBackendOptions } from '../policy/backendOptions.js';
import { imageBatches } from '../test-support/sqnrFixtures.js';
import { overflowFixFor } from './scheme.js';

const calibration = imageBatches(1, 1, 1, 32);

async function quantize(model: Model, backendOptions: OpenvinoBackendOptions, options: QuantizeOptions = {}) {
  return (await quantizeModel(model, { ...options, backendOptions }, { backend: openvinoBackend, executor: ortNode, calibration })).model;
}

/** Largest |q| of each int8 weight initializer behind a DequantizeLinear, by weight name. */
function weightPeaks(model: Model): Map<string, number> {
  const g = model.graph;
  const out = new Map<string, number>();
  for (const n of g.nodes) {
    const w = g.initializers.get(n.inputs[0]!);
    if (n.opType !== 'DequantizeLinear' || w?.dtype !== 'int8') continue;
    let m = 0;
    for (const v of w.data as Int8Array) m = Math.max(m, Math.abs(v));
    out.set(n.inputs[0]!.replace(/_quantized$/, ''), m);
  }
  return out;
}

const halved = (peaks: Map<string, number>) => [...peaks].filter(([, m]) => m <= 64).map(([n]) => n);

describe('overflow fix: which weights use half the range', () => {
  const resnet = buildResNet18({ batch: 1, imageSize: 32, seed: 3 });

  it("default ('first_layer_only'): only ResNet18's stem Conv weight is on [-63, 63]; the other 20 reach ±127", async () => {
    const peaks = weightPeaks(await quantize(resnet, {}));
    expect(peaks.size).toBe(21);
    expect(halved(peaks)).toEqual(['conv1.weight']);
    expect(peaks.get('conv1.weight')).toBe(63);
    expect([...peaks.values()].filter((m) => m === 127).length).toBe(20);
  });

  it("'enable': every Conv and the Gemm weight are on half the range; 'disable': none is", async () => {
    expect(halved(weightPeaks(await quantize(resnet, { overflowFix: 'enable' }))).length).toBe(21);
    expect(halved(weightPeaks(await quantize(resnet, { overflowFix: 'disable' })))).toEqual([]);
  });

  it('the halved weight has about twice the scale of the full-range one (amax/63 against amax/127)', async () => {
    const scaleOf = (m: Model) => {
      const dq = m.graph.nodes.find((n) => n.opType === 'DequantizeLinear' && n.inputs[0] === 'conv1.weight_quantized')!;
      return m.graph.initializers.get(dq.inputs[1]!)!.data as Float32Array;
    };
    const half = scaleOf(await quantize(resnet, {})), full = scaleOf(await quantize(resnet, { overflowFix: 'disable' }));
    for (let c = 0; c < full.length; c++) expect(half[c]! / full[c]!).toBeCloseTo(127 / 63, 4);
  });

  it("MobileNetV2, 'first_layer_only': the stem Conv only (a depthwise Conv is not a first layer)", async () => {
    const mb = buildMobileNetV2({ batch: 1, imageSize: 32, seed: 5 });
    const first = mb.graph.nodes.find((n) => n.opType === 'Conv')!;
    expect(halved(weightPeaks(await quantize(mb, {})))).toEqual([first.inputs[1]]);
  });
});

describe('overflow fix: defaults and refused pairs', () => {
  const spec = (dtype: 'int8' | 'uint8' | 'int16' | 'float8e4m3fn') => quantSpec({ dtype, symmetric: true, granularity: PER_TENSOR, observer: { kind: 'minmax' } });
  const fixFor = (o: OpenvinoBackendOptions, act: Parameters<typeof spec>[0], wgt: Parameters<typeof spec>[0]) => overflowFixFor(o, resolveOpenvinoOptions(o), spec(act), spec(wgt));
  const refused = (f: () => unknown, part: string) => {
    const e = (() => { try { f(); } catch (err) { return err; } })();
    expect(isQtkError(e, 'E_OPTION') && e.message.includes(part) ? 'refused' : String(e)).toBe('refused');
  };

  it("is 'first_layer_only' for int8 weights with 8-bit activations, 'disable' for other schemes", () => {
    expect(fixFor({}, 'int8', 'int8')).toBe('first_layer_only');
    expect(fixFor({}, 'uint8', 'int8')).toBe('first_layer_only');
    expect(fixFor({}, 'int16', 'int8')).toBe('disable');
    expect(fixFor({}, 'float8e4m3fn', 'float8e4m3fn')).toBe('disable');
    expect(fixFor({ overflowFix: 'enable' }, 'int8', 'int8')).toBe('enable');
  });

  it('float8 with preset mixed, with targetDevice GPU, or with an overflow fix is an E_OPTION error naming the option', () => {
    refused(() => fixFor({ preset: 'mixed' }, 'float8e4m3fn', 'float8e4m3fn'), 'backendOptions.preset="mixed" is not supported with float8');
    refused(() => fixFor({ targetDevice: 'GPU' }, 'float8e4m3fn', 'float8e4m3fn'), 'backendOptions.targetDevice="GPU"');
    refused(() => fixFor({ overflowFix: 'first_layer_only' }, 'float8e4m3fn', 'float8e4m3fn'), 'backendOptions.overflowFix="first_layer_only" needs int8 weights');
  });

  it('quantizeModel with float8 activations and preset mixed rejects with E_OPTION', async () => {
    const e = await quantize(buildResNet18({ batch: 1, imageSize: 32, seed: 3 }), { preset: 'mixed' }, { activationType: 'float8e4m3fn', weightType: 'float8e4m3fn' }).then(() => undefined, (err: unknown) => err);
    expect(isQtkError(e, 'E_OPTION') && e.message.includes('backendOptions.preset')).toBe(true);
  });
});
