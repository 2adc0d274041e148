/**
 * The result as one self-contained HTML file: inline CSS, inline SVG charts, the tables,
 * and the JSON result embedded for reuse. It loads nothing from the network and runs no
 * script, so it opens from disk anywhere.
 *
 * Charts: per model, batch-1 latency medians (whiskers to p90) by runtime and precision;
 * model size by precision; and quality against FP32 by runtime (accuracy change in
 * percentage points where labelled data exists, else SQNR in dB).
 */
import { precisionLabel, type PrecisionId } from '../precision.js';
import type { BenchResult } from '../result.js';
import { findCell, machineLine, ON_NOISE, qualityDataOf, runtimeTitle } from './format.js';
import { renderMarkdown } from './markdown.js';
import { escapeXml, PALETTE, renderBarChart, type BarChart } from './svg.js';

/** The charts of a result, in page order. */
export function benchCharts(result: BenchResult): BarChart[] {
  const precisions = result.settings.precisions;
  const series = precisions.map((p) => precisionLabel(p));
  const charts: BarChart[] = [];
  result.models.forEach((m, mi) => {
    charts.push({
      id: `latency-${mi}`,
      title: `${m.name}: batch-1 latency, median (whisker: p90)`,
      unit: 'ms',
      series,
      groups: result.runtimes.map((r) => ({
        label: r.name,
        bars: precisions.map((p) => {
          const c = findCell(result, m.name, r.name, p);
          if (c?.status === 'ok') return { series: precisionLabel(p), value: c.latencyMs.median, whisker: c.latencyMs.p90, title: `${runtimeTitle(result, r.name)} ${precisionLabel(p)}: median ${c.latencyMs.median.toFixed(2)} ms, p90 ${c.latencyMs.p90.toFixed(2)} ms` };
          return { series: precisionLabel(p), failed: c?.status === 'failed' ? `${c.stage}: ${c.reason}` : 'not run' };
        }),
      })),
    });
  });
  charts.push({
    id: 'size',
    title: 'Model size by precision',
    unit: 'MiB',
    series,
    groups: result.models.map((m) => ({
      label: m.name,
      bars: precisions.map((p) => {
        const v = m.variants.find((x) => x.precision === p);
        return v?.bytes !== undefined ? { series: precisionLabel(p), value: v.bytes / 2 ** 20 } : { series: precisionLabel(p), failed: v?.failed ?? m.failed ?? 'not made' };
      }),
    })),
  });
  const others = precisions.filter((p) => p !== 'fp32');
  if (precisions.includes('fp32') && others.length) {
    result.models.forEach((m, mi) => {
      const labelled = result.cells.some((c) => c.model === m.name && c.status === 'ok' && c.quality?.accuracy !== undefined);
      charts.push({
        id: `quality-${mi}`,
        title: labelled ? `${m.name}: accuracy change against FP32` : `${m.name}: output SQNR against FP32${qualityDataOf(result, m.name)?.dataKind === 'random' ? ON_NOISE : ''} (higher is closer)`,
        unit: labelled ? 'percentage points' : 'dB',
        series: others.map((p) => precisionLabel(p)),
        colors: others.map((p) => PALETTE[precisions.indexOf(p) % PALETTE.length]!),
        groups: result.runtimes.map((r) => ({
          label: r.name,
          bars: others.map((p) => qualityBar(result, m.name, r.name, p, labelled)),
        })),
      });
    });
  }
  return charts;
}

function qualityBar(result: BenchResult, model: string, runtime: string, p: PrecisionId, labelled: boolean) {
  const series = precisionLabel(p);
  const c = findCell(result, model, runtime, p);
  const f = findCell(result, model, runtime, 'fp32');
  if (c?.status !== 'ok') return { series, failed: c?.status === 'failed' ? `${c.stage}: ${c.reason}` : 'not run' };
  if (labelled) {
    const a = c.quality?.accuracy;
    const b = f?.status === 'ok' ? f.quality?.accuracy : undefined;
    return a !== undefined && b !== undefined ? { series, value: 100 * (a - b) } : { series, failed: c.qualityError ?? 'no accuracy for this variant or for FP32' };
  }
  const db = c.quality?.sqnrDb;
  if (db === 'Infinity') return { series, failed: 'identical to FP32 (infinite SQNR)' };
  if (db === '-Infinity') return { series, failed: 'SQNR -∞: NaN or infinite values where FP32 has others, or an all-zero FP32 output' };
  return db !== undefined ? { series, value: db } : { series, failed: c.qualityError ?? 'no SQNR' };
}

/** Markdown tables as an HTML table (the report's own small subset: pipes, escaped pipes). */
function tablesHtml(markdown: string): string {
  const out: string[] = [];
  let inTable = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('| ')) {
      const cells = line.slice(2, -2).split(/ (?<!\\)\| /).map((c) => c.replace(/\\\|/g, '|').replace(/\\\\/g, '\\'));
      if (cells.every((c) => c === '---')) continue;
      if (!inTable) { out.push('<table>'); inTable = true; out.push(`<tr>${cells.map((c) => `<th>${escapeXml(c)}</th>`).join('')}</tr>`); continue; }
      out.push(`<tr>${cells.map((c) => `<td${c.startsWith('FAILED') ? ' class="failed"' : ''}>${escapeXml(c)}</td>`).join('')}</tr>`);
      continue;
    }
    if (inTable) { out.push('</table>'); inTable = false; }
    if (line.startsWith('### ')) out.push(`<h3>${escapeXml(line.slice(4))}</h3>`);
    else if (line.trim()) out.push(`<p>${escapeXml(line)}</p>`);
  }
  if (inTable) out.push('</table>');
  return out.join('\n');
}

const CSS = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 28px; } h3 { font-size: 16px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 3px 7px; text-align: right; }
th:first-child, td:first-child, th:nth-child(2), td:nth-child(2) { text-align: left; }
td.failed { color: #b00020; text-align: left; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
svg.chart { border: 1px solid #ddd; background: #fff; }
svg .title { font-size: 13px; font-weight: 600; } svg .tick, svg .label, svg .legend, svg .unit { font-size: 11px; fill: #444; }
svg .grid { stroke: #eee; } svg .axis { stroke: #888; } svg .whisker { stroke: #333; stroke-width: 1.5; }
svg .failed { fill: #b00020; font-size: 14px; font-weight: 700; }
`;

/** The result as a complete HTML document. */
export function renderHtml(result: BenchResult, title = 'qtk benchmark'): string {
  const charts = benchCharts(result).map(renderBarChart).join('\n');
  const json = JSON.stringify(result).replace(/</g, '\\u003c');
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeXml(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head><body>',
    `<h1>${escapeXml(title)}</h1>`,
    `<p>${escapeXml(machineLine(result))}</p>`,
    '<h2>Charts</h2>',
    `<div class="charts">${charts}</div>`,
    '<h2>Tables</h2>',
    tablesHtml(renderMarkdown(result)),
    `<script type="application/json" id="bench-data">${json}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
