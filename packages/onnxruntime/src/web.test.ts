import { describe, expect, it } from 'vitest';
import { quantizeModel } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortWeb } from './web.js';
import { ortNode } from './node.js';
import { DIGITS_MODEL, digitsRows, batchesOf, accuracy } from './test-support/digits.js';
import { onnxruntimeBackend } from './policy.js';

describe('onnxruntime-web executor in Node', () => {
  it('runs the digits CNN with the same predictions as onnxruntime-node', async () => {
    const m = await loadModelFile(DIGITS_MODEL);
    const { x, y } = digitsRows(1297, 1497);
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
    const m = await loadModelFile(DIGITS_MODEL);
    const { model: q, report } = await quantizeModel(m, {}, { backend: onnxruntimeBackend, executor: ortWeb, calibration: batchesOf(digitsRows(0, 64).x, 32) });
    expect(report.calibration!.batches).toBe(2);
    expect(q.graph.nodes.filter((n) => n.opType === 'QuantizeLinear').length).toBeGreaterThan(3);
    const { x, y } = digitsRows(1297, 1797);
    const s = await ortNode.createSession(q);
    expect(accuracy((await s.run({ input: x })).logits!, y)).toBeGreaterThanOrEqual(0.99);
  });
});
