/**
 * The worker pool in headless Chromium: on a cross-origin isolated page (served with COOP/COEP
 * headers) a 2-thread session runs on Web Workers and gives the same bits as one thread in
 * Node; without isolation it falls back to one thread with a warning.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { encodeModel } from '@qtk/core';
import { CHROMIUM, browserBundle } from './test-support/browserBundle.js';
import { InferenceSession } from './index.js';
import { oddShapesFeeds, oddShapesModel } from './test-support/oddShapes.js';

// a potentially trustworthy origin (cross-origin isolation needs a secure context); requests never leave the browser
const ORIGIN = 'http://localhost:9';


/** Serves one page (and the bundle) from ORIGIN, with the isolation headers when `isolated`. */
async function openPage(page: Page, bundle: string, isolated: boolean): Promise<void> {
  const headers: Record<string, string> = isolated ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {};
  await page.route(`${ORIGIN}/**`, (route) => {
    const url = route.request().url();
    if (url.endsWith('/qtk-wasm.js')) return route.fulfill({ status: 200, contentType: 'text/javascript', body: bundle, headers });
    return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>qtk wasm threads</title><script src="/qtk-wasm.js"></script>', headers });
  });
  await page.goto(`${ORIGIN}/`);
}

describe.skipIf(!existsSync(CHROMIUM))('worker pool in headless Chromium', () => {
  it('isolated page: 2 threads on Web Workers, same bits as Node on one thread; not isolated: one thread and a warning', async () => {
    const bytes = encodeModel(oddShapesModel()).model;
    const feeds = oddShapesFeeds(3);
    const node = await InferenceSession.create(bytes);
    const want = await node.run(feeds);
    const bundle = await browserBundle();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      for (const isolated of [true, false]) {
        const page = await browser.newPage();
        const errors: string[] = [], warnings: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
        await openPage(page, bundle, isolated);
        const got = await page.evaluate(async ({ model, x, z }) => {
          const w = globalThis as unknown as { qtkWasm: typeof import('./index.js'); crossOriginIsolated: boolean };
          const bin = atob(model);
          const u8 = new Uint8Array(bin.length);
          for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
          const s = await w.qtkWasm.InferenceSession.create(u8, { intraOpNumThreads: 2 });
          const out = await s.run({ x: new w.qtkWasm.Tensor('float32', Float32Array.from(x.data), x.dims), z: new w.qtkWasm.Tensor('float32', Float32Array.from(z.data), z.dims) });
          const threads = s.threads;
          await s.release();
          return { isolated: w.crossOriginIsolated, threads, y1: Array.from(out.y1!.data as Float32Array), y2: Array.from(out.y2!.data as Float32Array) };
        }, {
          model: Buffer.from(bytes).toString('base64'),
          x: { data: Array.from(feeds.x!.data as Float32Array), dims: [...feeds.x!.dims] },
          z: { data: Array.from(feeds.z!.data as Float32Array), dims: [...feeds.z!.dims] },
        });
        expect(errors).toEqual([]);
        expect(got.isolated).toBe(isolated);
        expect(got.threads).toBe(isolated ? 2 : 1);
        expect(warnings.some((m) => m.includes('intraOpNumThreads'))).toBe(!isolated);
        expect(got.y1).toEqual(Array.from(want.y1!.data as Float32Array));
        expect(got.y2).toEqual(Array.from(want.y2!.data as Float32Array));
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});
