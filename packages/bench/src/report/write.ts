/** Writes a result's JSON, Markdown and HTML files into a folder, each atomically. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '@qtk/core/node';
import type { BenchResult } from '../result.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';

/** Paths `writeReports` wrote. */
export interface ReportFiles {
  json: string;
  markdown: string;
  html: string;
}

/** Writes `bench.json`, `bench.md` and `bench.html` (or `<base>.*`) into `dir`, creating it. */
export async function writeReports(result: BenchResult, dir: string, base = 'bench'): Promise<ReportFiles> {
  await fs.mkdir(dir, { recursive: true });
  const files: ReportFiles = { json: path.join(dir, `${base}.json`), markdown: path.join(dir, `${base}.md`), html: path.join(dir, `${base}.html`) };
  await writeFileAtomic(files.json, JSON.stringify(result, null, 2) + '\n');
  await writeFileAtomic(files.markdown, `# qtk benchmark\n\n${renderMarkdown(result)}`);
  await writeFileAtomic(files.html, renderHtml(result));
  return files;
}
