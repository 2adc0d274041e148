import { beforeAll, describe, expect, it } from 'vitest';
import type { BenchResult } from '../result.js';
import { sampleResult } from '../test-support/sampleResult.js';
import { escapeCell, renderMarkdown, renderSummary } from './markdown.js';

let result: BenchResult;
beforeAll(async () => { result = await sampleResult(); });

const rows = (md: string) => md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'));
const cellsOf = (line: string) => line.slice(2, -2).split(/ (?<!\\)\| /);

describe('markdown report', () => {
  it('describes the machine and the settings', () => {
    const md = renderMarkdown(result);
    expect(md).toMatch(/Sample CPU 9000, 2 logical cores/);
    expect(md).toMatch(/avx2 avx512_vnni/);
    expect(md).toMatch(/3 timed runs per variant/);
  });

  it('has one row per runtime × precision per model, every row with as many cells as the header', () => {
    const md = renderMarkdown(result);
    const all = rows(md);
    const tiny = md.slice(md.indexOf('### tiny'), md.indexOf('### gone'));
    expect(rows(tiny)).toHaveLength(1 + 3 * 2);
    const width = cellsOf(all[0]!).length;
    for (const r of all) expect(cellsOf(r)).toHaveLength(width);
  });

  it('gives medians from the measurements and the FP32-over-INT8 speed-up', () => {
    const md = renderMarkdown(result);
    const fastInt8 = rows(md).find((r) => r.includes('| fast (threads=1) v9.9.9 | int8-dynamic |'))!;
    const c = cellsOf(fastInt8);
    expect(c[2]).toBe('4.00');
    expect(c[6]).toBe('×2.50');
    const slowInt8 = rows(md).find((r) => r.includes('| slow (threads=1) v9.9.9 | int8-dynamic |'))!;
    expect(cellsOf(slowInt8)[6]).toBe('×1.50');
  });

  it('shows failed cells with their stage and reason, escaping pipes', () => {
    const md = renderMarkdown(result);
    const absent = rows(md).filter((r) => r.includes('absent'));
    expect(absent.length).toBe(4);
    expect(absent[0]).toMatch(/FAILED \(runtime\): cannot import '@qtk\/absent' \\\| not installed/);
    expect(md).toMatch(/FAILED \(model\): cannot load the model: cannot read model 'gone.onnx'/);
  });

  it('summarises FP32 against INT8 per runtime and model', () => {
    const s = renderSummary(result, { candidate: 'int8-dynamic' });
    const fast = rows(s).find((r) => r.startsWith('| fast'))!;
    expect(cellsOf(fast).slice(1, 5)).toEqual(['tiny', '10.0 (IQR 0.00)', '4.00 (IQR 0.00)', '×2.50']);
    expect(cellsOf(rows(s)[0]!)).toHaveLength(7);
    expect(cellsOf(fast)[6]).toMatch(/dB on random noise$/);
    expect(rows(s).find((r) => r.startsWith('| absent') && r.includes('| tiny |'))).toMatch(/FAILED \(runtime\)/);
  });

  it('says above each table and in the quality column that quality was measured on random noise', () => {
    const md = renderMarkdown(result);
    const tiny = md.slice(md.indexOf('### tiny'), md.indexOf('### gone'));
    expect(tiny).toContain('Quality data: 2 seeded random inputs (uniform noise, not real data); the figures show how closely');
    expect(cellsOf(rows(tiny)[0]!).at(-1)).toBe('quality (data: random noise)');
    const int8 = rows(tiny).find((r) => r.includes('| int8-dynamic |'))!;
    expect(cellsOf(int8).at(-1)).toMatch(/^SQNR .* dB, top-1 agreement \d+% on random noise$/);
  });

  it('escapes table syntax inside cells', () => {
    expect(escapeCell('a|b\nc')).toBe('a\\|b c');
  });
});
