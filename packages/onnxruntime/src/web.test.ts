import { describe, expect, it } from 'vitest';
import { decodeModel, quantizeModel } from '@qtk/core';
import { digitsRows, batchesOf, accuracy } from '@qtk/core/testing';
import { nodePipelineFixtures } from '@qtk/models/testing';
import { ortWeb } from './web.js';
import { ortNode } from './node.js';
import { onnxruntimeBackend } from './policy.js';

const fixtures = nodePipelineFixtures();

describe('onnxruntime-web executor in Node', () => {
  it('runs the digits CNN with the same predictions as onnxruntime-node', async () => {
    const data = await fixtures.digits();
    const m = decodeModel(data.model);
    const { x, y } = digitsRows(data, 1297, 1497);
    const w = await ortWeb.createSession(m);
    const n = await ortNode.createSession(m);
    const a = (await w.run({ input: x })).logits!;
    const b = (await n.run({ input: x })).logits!;
    expect(accuracy(a, y)).toBe(accuracy(b, y));
    const da = a.data as Float32Array, db = b.data as Float32Array;
    for (let i = 0; i < da.length; i++) expect(Math.abs(da[i]! - db[i]!)).toBeLessThan(1e-3 * (1 + Math.abs(db[i]!)));
    await w.release(); await n.release();
  });

  it('fetches intermediate tensors for calibration and drives static quantization', async () => {
    const data = await fixtures.digits();
    const m = decodeModel(data.model);
    const { model: q, report } = await quantizeModel(m, {}, { backend: onnxruntimeBackend, executor: ortWeb, calibration: batchesOf(digitsRows(data, 0, 64).x, 32) });
    expect(report.calibration!.batches).toBe(2);
    expect(q.graph.nodes.filter((n) => n.opType === 'QuantizeLinear').length).toBeGreaterThan(3);
    const { x, y } = digitsRows(data, 1297, 1797);
    const s = await ortNode.createSession(q);
    expect(accuracy((await s.run({ input: x })).logits!, y)).toBeGreaterThanOrEqual(0.99);
  });
});
