import { describe, expect, it } from 'vitest';
import { quantizeModel, Tensor } from '@qtk/core';
import { ortNode } from './node.js';
import { buildPytorchStyleCnn, buildBertEncoder } from '@qtk/models';
import { randomTensor } from '@qtk/core/testing';
import { runOnce } from './test-support/session.js';
import { onnxruntimeBackend } from './policy.js';

const rand = randomTensor;

/** Cosine similarity of two float tensors. */
function cosine(a: Tensor, b: Tensor): number {
  const x = a.data as Float32Array, y = b.data as Float32Array;
  let xy = 0, xx = 0, yy = 0;
  for (let i = 0; i < x.length; i++) { xy += x[i]! * y[i]!; xx += x[i]! ** 2; yy += y[i]! ** 2; }
  return xy / Math.sqrt(xx * yy);
}

describe('models exported the PyTorch way (Constant nodes, Shape/Gather chains, dynamic batch, BN not folded)', () => {
  const model = buildPytorchStyleCnn({ seed: 3 });
  const calib = [1, 2, 3, 4].map((s) => ({ input: rand([2, 3, 32, 32], s) }));
  const probe = { input: rand([3, 3, 32, 32], 99) };

  it('quantize statically; onnxruntime runs the result at another batch size with close outputs', async () => {
    const { model: q, report } = await quantizeModel(model, {}, { backend: onnxruntimeBackend, executor: ortNode, calibration: calib });
    expect(q.graph.nodes.some((n) => n.opType === 'QuantizeLinear')).toBe(true);
    expect(q.graph.nodes.some((n) => n.opType === 'BatchNormalization')).toBe(false);
    expect(report.quantized.some((n) => n.opType === 'Conv')).toBe(true);
    const [a, b] = [await runOnce(model, probe), await runOnce(q, probe)];
    const name = model.graph.outputs[0]!.name;
    expect(b[name]!.dims).toEqual(a[name]!.dims);
    expect(cosine(a[name]!, b[name]!)).toBeGreaterThan(0.99);
  });

  it('quantize dynamically; onnxruntime runs the result with close outputs', async () => {
    const { model: q } = await quantizeModel(model, { mode: 'dynamic' }, { backend: onnxruntimeBackend });
    expect(q.graph.nodes.some((n) => n.opType === 'ConvInteger')).toBe(true);
    const name = model.graph.outputs[0]!.name;
    const [a, b] = [await runOnce(model, probe), await runOnce(q, probe)];
    expect(cosine(a[name]!, b[name]!)).toBeGreaterThan(0.99);
  });

  it('quantize a BERT-like encoder dynamically (MatMulInteger) with outputs close to FP32', async () => {
    const bert = buildBertEncoder({ seed: 5, layers: 1 });
    const ids = Tensor.int64(Array.from({ length: 16 }, (_, i) => (i * 37) % 1000), [1, 16]);
    const mask = Tensor.int64(new Array(16).fill(1), [1, 16]);
    const { model: q } = await quantizeModel(bert, { mode: 'dynamic' }, { backend: onnxruntimeBackend });
    expect(q.graph.nodes.filter((n) => n.opType === 'MatMulInteger').length).toBeGreaterThanOrEqual(6);
    const feeds = { input_ids: ids, attention_mask: mask };
    const [a, b] = [await runOnce(bert, feeds), await runOnce(q, feeds)];
    expect(cosine(a.last_hidden_state!, b.last_hidden_state!)).toBeGreaterThan(0.99);
  });
});
