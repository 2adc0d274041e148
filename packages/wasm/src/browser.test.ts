import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { encodeModel, quantizeModel } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { DIGITS_MODEL, digitsRows, batchesOf } from './test-support/digits.js';
import { CHROMIUM, browserBundle } from './test-support/browserBundle.js';
import { InferenceSession, Tensor } from './index.js';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';



describe.skipIf(!existsSync(CHROMIUM))('in headless Chromium', () => {
  it('runs the INT8 (QDQ) digits model through the package, identical to Node', async () => {
    const { model: q } = await quantizeModel(await loadModelFile(DIGITS_MODEL), {}, { backend: onnxruntimeBackend, executor: ortNode, calibration: batchesOf(digitsRows(0, 64).x, 32) });
    const bytes = encodeModel(q).model;
    const { x, y } = digitsRows(1297, 1397);
    const node = await InferenceSession.create(bytes);
    expect(node.info.ops['qtk.wasm:QConv']).toBe(3);
    const want = (await node.run({ input: new Tensor('float32', x.data as Float32Array, x.dims) })).logits!;

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.setContent('<!doctype html><title>qtk wasm</title>');
      await page.addScriptTag({ content: await browserBundle() });
      const got = await page.evaluate(async ({ model, input, dims }) => {
        const w = globalThis as unknown as { qtkWasm: typeof import('./index.js') };
        const bin = atob(model);
        const u8 = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
        const s = await w.qtkWasm.InferenceSession.create(u8);
        const out = await s.run({ input: new w.qtkWasm.Tensor('float32', Float32Array.from(input), dims) });
        return { fused: s.info.fusedQdqGroups, dims: [...out.logits!.dims], data: Array.from(out.logits!.data as Float32Array) };
      }, { model: Buffer.from(bytes).toString('base64'), input: Array.from(x.data as Float32Array), dims: [...x.dims] });
      expect(errors).toEqual([]);
      expect(got.fused).toBe(node.info.fusedQdqGroups);
      expect(got.dims).toEqual([100, 10]);
      expect(got.data).toEqual(Array.from(want.data as Float32Array));
      // and it classifies the digits
      let ok = 0;
      for (let r = 0; r < 100; r++) {
        let best = 0;
        for (let j = 1; j < 10; j++) if (got.data[r * 10 + j]! > got.data[r * 10 + best]!) best = j;
        if (best === y[r]) ok++;
      }
      expect(ok).toBeGreaterThanOrEqual(97);
    } finally {
      await browser.close();
    }
  });

  it('loads in the browser without Node built-ins (the path loader stays out of the bundle)', async () => {
    const code = await browserBundle();
    expect(code).not.toMatch(/require\(["']node:/);
    expect(code).toContain('@qtk/core/node');
  });
});
