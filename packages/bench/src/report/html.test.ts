import { beforeAll, describe, expect, it } from 'vitest';
import type { BenchResult } from '../result.js';
import { sampleResult } from '../test-support/sampleResult.js';
import { benchCharts, renderHtml } from './html.js';
import { PALETTE, renderBarChart } from './svg.js';

let result: BenchResult;
beforeAll(async () => { result = await sampleResult(); });

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

describe('HTML report', () => {
  it('draws one latency bar per measured cell and a failure mark per failed one', () => {
    const latency = benchCharts(result).filter((c) => c.id.startsWith('latency-'));
    expect(latency).toHaveLength(2);
    const svg = latency.map(renderBarChart).join('');
    expect(count(svg, /<rect class="bar"/g)).toBe(result.cells.filter((c) => c.status === 'ok').length);
    expect(count(svg, /<text [^>]*class="failed"/g)).toBe(result.cells.filter((c) => c.status === 'failed').length);
  });

  it('puts the measured median in each bar', () => {
    const svg = renderBarChart(benchCharts(result)[0]!);
    expect(svg).toMatch(/data-group="fast" data-series="int8-dynamic" data-value="4"/);
    expect(svg).toMatch(/data-group="slow" data-series="fp32" data-value="30"/);
  });

  it('charts size per precision and SQNR of INT8 per runtime', () => {
    const charts = benchCharts(result);
    const size = charts.find((c) => c.id === 'size')!;
    expect(size.groups.map((g) => g.label)).toEqual(['tiny', 'gone']);
    expect(size.groups[0]!.bars.every((b) => (b.value ?? 0) > 0)).toBe(true);
    const q = charts.find((c) => c.id === 'quality-0')!;
    expect(q.unit).toBe('dB');
    expect(q.title).toBe('tiny: output SQNR against FP32 on random noise (higher is closer)');
    expect(q.groups.find((g) => g.label === 'fast')!.bars[0]!.value).toBeTypeOf('number');
    // int8-dynamic keeps the colour it has in the latency chart (second series)
    expect(q.colors).toEqual([PALETTE[1]]);
  });

  it('is one self-contained file: no external resource, no script to run, the data embedded', () => {
    const html = renderHtml(result);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<(link|img|iframe)\b/);
    expect(html).not.toMatch(/src=/);
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);
    expect(count(html, /<script(?![^>]*application\/json)/g)).toBe(0);
    const json = /<script type="application\/json" id="bench-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(JSON.parse(json).cells).toHaveLength(result.cells.length);
  });

  it('renders the tables with failed cells marked', () => {
    const html = renderHtml(result);
    expect(count(html, /<table>/g)).toBe(2);
    expect(html).toMatch(/<td class="failed">FAILED \(runtime\): cannot import &#39;@qtk\/absent&#39; \| not installed<\/td>/);
  });
});
