/**
 * What onnxruntime-node actually runs for qtk's default static INT8 CNNs: its optimized graph
 * (level 'all', saved with optimizedModelFilePath) must hold only integer kernels, one
 * QuantizeLinear for the float input and no DequantizeLinear, float Conv, Add or Gemm, and the
 * first Conv must reach the symmetric kernel (input widened to 4 channels).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, quantizeModel, type Model } from '@qtk/core';
import { ortNode } from './node.js';
import { randomTensor } from '@qtk/core/testing';
import { buildMobileNetV2, buildResNet18 } from '@qtk/models';
import { onnxruntimeBackend } from './policy.js';

const dir = mkdtempSync(join(tmpdir(), 'qtk-ort-fusion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Op counts (domain dropped) of the graph onnxruntime runs for `model`. */
async function optimizedOps(model: Model, name: string): Promise<Record<string, number>> {
  const path = join(dir, `${name}.onnx`);
  const s = await ort.InferenceSession.create(encodeModel(model).model, { graphOptimizationLevel: 'all', optimizedModelFilePath: path, logSeverityLevel: 3 });
  await s.release();
  const counts: Record<string, number> = {};
  for (const n of decodeModel(readFileSync(path)).graph.nodes) counts[n.opType] = (counts[n.opType] ?? 0) + 1;
  return counts;
}

describe.each([
  ['ResNet18', () => buildResNet18({ seed: 1, imageSize: 64, numClasses: 100 }), { QLinearConv: 20, QLinearAdd: 8, QLinearGlobalAveragePool: 1, QGemm: 1 }],
  ['MobileNetV2', () => buildMobileNetV2({ seed: 1, imageSize: 64, numClasses: 100 }), { QLinearConv: 52, QLinearAdd: 10, QLinearGlobalAveragePool: 1, QGemm: 1 }],
] as const)('onnxruntime-node runs qtk INT8 %s (64×64) on integer kernels only', (name, build, expected) => {
  const calibration = Array.from({ length: 2 }, (_, i) => ({ input: randomTensor([1, 3, 64, 64], i + 1) }));
  const quantized = quantizeModel(build(), {}, { backend: onnxruntimeBackend, executor: ortNode, calibration });

  it(`fuses into ${Object.entries(expected).map(([k, v]) => `${v} ${k}`).join(', ')} with one QuantizeLinear and nothing float`, async () => {
    const { model } = await quantized;
    const ops = await optimizedOps(model, name);
    for (const [op, n] of Object.entries(expected)) expect(ops[op], op).toBe(n);
    expect(ops.QuantizeLinear).toBe(1);
    for (const op of ['DequantizeLinear', 'Conv', 'FusedConv', 'Add', 'Gemm', 'FusedGemm', 'Relu', 'Clip']) expect(ops[op] ?? 0, op).toBe(0);
  });

  it('widens the first Conv to 4 input channels and reports nothing float', async () => {
    const { model, report } = await quantized;
    const first = model.graph.nodes.find((n) => n.opType === 'Conv')!;
    const wdq = model.graph.nodes.find((n) => n.outputs[0] === first.inputs[1])!;
    expect(model.graph.initializers.get(wdq.inputs[0]!)!.dims.slice(0, 2)).toEqual([name === 'ResNet18' ? 64 : 32, 4]);
    expect(report.float).toEqual([]);
  });
});
