/**
 * The OpenVINO backend end to end on onnxruntime-node: the presets' zero points and types,
 * the defaults NNCF's configuration gives, backend options reaching placement, and the
 * quantized models running.
 */
import { describe, expect, it } from 'vitest';
import { isQtkError, quantizeModel, type Model, type Tensor } from '@qtk/core';
import { randomTensor, runOnce, sqnrOf } from '@qtk/core/testing';
import { buildMobileNetV2, buildResNet18 } from '@qtk/models';
import { ortNode } from '@qtk/onnxruntime/node';
import openvino, { openvinoBackend, type OpenvinoBackendOptions } from './index.js';

const INPUT = randomTensor([2, 3, 64, 64], 11);
const calibration = () => [{ input: INPUT }];
const resnet = () => buildResNet18({ batch: 2, imageSize: 64, seed: 3 });

async function quantize(model: Model, backendOptions?: OpenvinoBackendOptions) {
  return quantizeModel(model, backendOptions ? { backendOptions } : {}, { backend: openvinoBackend, executor: ortNode, calibration: calibration() });
}

/** ResNet18 quantized once per preset, shared by the tests that only read the result. */
const resnetByPreset = new Map<string, ReturnType<typeof quantize>>();
const quantizedResnet = (preset?: 'performance' | 'mixed') => {
  const key = preset ?? 'default';
  if (!resnetByPreset.has(key)) resnetByPreset.set(key, quantize(resnet(), preset ? { preset } : undefined));
  return resnetByPreset.get(key)!;
};

/** Zero points of the model's Q/DQ pairs, activation (QuantizeLinear) and weight (DequantizeLinear of an initializer) apart. */
function zeroPoints(model: Model): { activations: Tensor[]; weights: Tensor[] } {
  const g = model.graph;
  const producers = new Set(g.nodes.flatMap((n) => n.outputs));
  const activations = g.nodes.filter((n) => n.opType === 'QuantizeLinear').map((n) => g.initializers.get(n.inputs[2]!)!);
  const weights = g.nodes.filter((n) => n.opType === 'DequantizeLinear' && !producers.has(n.inputs[0]!) && n.inputs[2])
    .map((n) => g.initializers.get(n.inputs[2]!)!);
  return { activations, weights };
}

/** Awaits `p`, which must reject with a QtkError of `code` whose message names `part`. */
async function expectQtkError(p: Promise<unknown>, code: string, part: string): Promise<void> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(isQtkError(e) && e.code === code && e.message.includes(part) ? 'matched' : String(e)).toBe('matched');
}

const allZero = (t: Tensor) => Array.from(t.data as ArrayLike<number>).every((v) => v === 0);

describe('openvinoBackend: presets and defaults', () => {
  it("is the package's default export, named 'openvino'", () => {
    expect(openvino).toBe(openvinoBackend);
    expect(openvinoBackend.name).toBe('openvino');
  });

  it('performance (the default): every zero point is 0, activations int8, weights int8 per channel', async () => {
    const { model, report } = await quantizedResnet();
    const zp = zeroPoints(model);
    expect(zp.activations.length).toBe(30);
    expect(zp.weights.length).toBe(21);
    for (const t of [...zp.activations, ...zp.weights]) expect(allZero(t)).toBe(true);
    expect(new Set(zp.activations.map((t) => t.dtype))).toEqual(new Set(['int8']));
    expect(new Set(zp.weights.map((t) => t.dtype))).toEqual(new Set(['int8']));
    // Per channel: one zero point (and scale) per output channel of every Conv and of the Gemm.
    expect(zp.weights.every((t) => t.dims.length === 1 && t.dims[0]! > 1)).toBe(true);
    expect(report.options).toMatchObject({ method: 'mean-minmax', symmetricActivations: true, symmetricWeights: true, perChannel: true });
  });

  it('weights are symmetric narrow-range: no weight value is -128', async () => {
    const { model } = await quantizedResnet();
    const g = model.graph;
    const weightsQ = g.nodes.filter((n) => n.opType === 'DequantizeLinear' && g.initializers.get(n.inputs[0]!)?.dtype === 'int8')
      .map((n) => g.initializers.get(n.inputs[0]!)!);
    expect(weightsQ.length).toBe(21);
    for (const w of weightsQ) expect((w.data as Int8Array).includes(-128)).toBe(false);
    expect(weightsQ.some((w) => (w.data as Int8Array).includes(-127) || (w.data as Int8Array).includes(127))).toBe(true);
  });

  it('mixed: activations asymmetric uint8 with zero points, weights still symmetric int8', async () => {
    const { model, report } = await quantizedResnet('mixed');
    const zp = zeroPoints(model);
    expect(new Set(zp.activations.map((t) => t.dtype))).toEqual(new Set(['uint8']));
    expect(zp.activations.some((t) => !allZero(t))).toBe(true);
    for (const t of zp.weights) expect(t.dtype === 'int8' && allZero(t)).toBe(true);
    expect(report.options).toMatchObject({ activationType: 'uint8', symmetricActivations: false });
  });

  it("modelType 'transformer' defaults to preset mixed; an explicit preset wins", () => {
    expect(openvinoBackend.defaultsFor!({ modelType: 'transformer' })).toMatchObject({ activationType: 'uint8', symmetricActivations: false });
    expect(openvinoBackend.defaultsFor!({ modelType: 'transformer', preset: 'performance' })).toMatchObject({ activationType: 'int8', symmetricActivations: true });
    expect(openvinoBackend.defaultsFor!(undefined)).toMatchObject({ activationType: 'int8', symmetricActivations: true, method: 'mean-minmax' });
  });

  it('an unknown backend option or value is an E_OPTION error naming it', async () => {
    await expectQtkError(quantize(resnet(), { preset: 'fast' } as unknown as OpenvinoBackendOptions), 'E_OPTION', 'backendOptions.preset');
    await expectQtkError(quantize(resnet(), { device: 'CPU' } as unknown as OpenvinoBackendOptions), 'E_OPTION', 'backendOptions.device');
  });
});

describe('openvinoBackend: quantized models run on onnxruntime', () => {
  for (const [name, build] of [['ResNet18', resnet], ['MobileNetV2', () => buildMobileNetV2({ batch: 2, imageSize: 64, seed: 5 })]] as const) {
    for (const preset of ['performance', 'mixed'] as const) {
      it(`${name}, preset ${preset}: the quantized model runs and its logits follow the float model's`, async () => {
        const float = build();
        const { model } = name === 'ResNet18' ? await quantizedResnet(preset) : await quantize(float, { preset });
        const ref = (await runOnce(ortNode, float, { input: INPUT })).output!;
        const out = (await runOnce(ortNode, model, { input: INPUT })).output!;
        expect(out.dims).toEqual(ref.dims);
        const sqnr = sqnrOf(ref.data as Float32Array, out.data as Float32Array);
        // Random weights and data: about 30 dB here; 20 dB fails a model whose Q/DQ are misplaced or mis-scaled.
        expect(sqnr).toBeGreaterThan(20);
      });
    }
  }
});
