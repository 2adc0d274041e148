import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResult } from '../result.js';
import { sampleResult } from '../test-support/sampleResult.js';
import { renderHtml } from './html.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`skipping the HTML report browser test: ${CHROMIUM} does not exist`);

describe.skipIf(!haveChromium)(`HTML report in headless Chromium (${CHROMIUM})`, () => {
  let dir: string;
  let result: BenchResult;
  beforeAll(async () => {
    result = await sampleResult();
    dir = mkdtempSync(path.join(os.tmpdir(), 'qtk-bench-html-'));
    writeFileSync(path.join(dir, 'bench.html'), renderHtml(result));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders every chart with visible bars, one per measured cell, loading nothing from the network', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
      await page.goto(pathToFileURL(path.join(dir, 'bench.html')).href);
      const charts = await page.$$eval('svg.chart', (els) => els.map((e) => { const b = e.getBoundingClientRect(); return { id: e.id, w: b.width, h: b.height }; }));
      expect(charts.length).toBeGreaterThanOrEqual(4);
      for (const c of charts) {
        expect(c.w, c.id).toBeGreaterThan(0);
        expect(c.h, c.id).toBeGreaterThan(0);
      }
      const bars = await page.$$eval('svg[id^="latency-"] rect.bar', (els) => els.map((e) => { const b = e.getBoundingClientRect(); return b.width * b.height; }));
      expect(bars).toHaveLength(result.cells.filter((c) => c.status === 'ok').length);
      for (const area of bars) expect(area).toBeGreaterThan(0);
      const sizeBars = await page.$$eval('svg#size rect.bar', (els) => els.length);
      expect(sizeBars).toBe(result.models.flatMap((m) => m.variants).filter((v) => v.bytes !== undefined).length);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
