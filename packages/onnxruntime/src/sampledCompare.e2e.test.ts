/**
 * compareModels with a sample limit on onnxruntime-node: large activations are compared
 * on the same strided elements of both models, which estimates each node's SQNR closely
 * and ranks the nodes as the whole tensors do, while outputs stay whole.
 */
import { describe, expect, it } from 'vitest';
import { compareModels, quantizeModel, QtkError } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from './node.js';
import { onnxruntimeBackend } from './policy/onnxruntimeBackend.js';
import { DIGITS_MODEL, digitsRows, batchesOf } from './test-support/digits.js';

describe('sampled compareModels on the digits CNN', async () => {
  const model = await loadModelFile(DIGITS_MODEL);
  const { model: q } = await quantizeModel(model, {}, { backend: onnxruntimeBackend, executor: ortNode, calibration: batchesOf(digitsRows(0, 256).x, 32) });
  const test = () => batchesOf(digitsRows(1297, 1347).x, 50);

  it('estimates every node SQNR within 2 dB of the whole tensors, from fewer elements, with outputs and argmax compared whole', async () => {
    const whole = await compareModels(model, q, ortNode, test());
    const sampled = await compareModels(model, q, ortNode, test(), { sampleLimit: 32 });
    expect(sampled.nodes.map((n) => n.node).sort()).toEqual(whole.nodes.map((n) => n.node).sort());
    const byNode = new Map(whole.nodes.map((n) => [n.node, n]));
    let fewer = 0;
    for (const n of sampled.nodes) {
      const w = byNode.get(n.node)!;
      expect(Math.abs(n.sqnrDb - w.sqnrDb), n.node).toBeLessThan(2);
      expect(n.elements).toBeLessThanOrEqual(w.elements);
      if (n.elements < w.elements) fewer++;
    }
    expect(fewer).toBeGreaterThan(0);
    expect(sampled.outputs).toEqual(whole.outputs);
  });

  it('ranks the noisiest node first as the whole comparison does', async () => {
    const whole = await compareModels(model, q, ortNode, test());
    const sampled = await compareModels(model, q, ortNode, test(), { sampleLimit: 32 });
    const worst = (r: typeof whole) => [...r.nodes].sort((a, b) => a.sqnrDb - b.sqnrDb)[0]!.node;
    expect(worst(sampled)).toBe(worst(whole));
  });

  it('rejects a later batch shaped unlike the first with E_SHAPE naming the input', async () => {
    const err = await compareModels(model, q, ortNode, batchesOf(digitsRows(1297, 1347).x, 30), { sampleLimit: 32 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QtkError);
    expect((err as QtkError).code).toBe('E_SHAPE');
    expect((err as Error).message).toContain("input 'input'");
  });
});
