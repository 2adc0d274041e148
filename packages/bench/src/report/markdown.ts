/**
 * The result as Markdown: the machine, then per model a table of every runtime ×
 * precision (latency median, p90, p99, IQR, speed-up against FP32 on the same runtime,
 * throughput, session creation, size, quality), failed cells showing their reason; and
 * `renderSummary`, the FP32-versus-INT8 table per runtime.
 */
import type { PrecisionId } from '../precision.js';
import type { BenchResult, Cell } from '../result.js';
import { findCell, formatBytes, formatDb, formatMs, formatQuality, formatRatio, machineLine, okCell, ON_NOISE, precisionLabel, qualityDataOf, runtimeTitle } from './format.js';

/** Text safe inside a Markdown table cell. */
export function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function row(cells: readonly string[]): string {
  return `| ${cells.map(escapeCell).join(' | ')} |`;
}

function table(head: readonly string[], rows: readonly string[][]): string[] {
  return [row(head), `| ${head.map(() => '---').join(' | ')} |`, ...rows.map(row)];
}

/** The text of a failed cell: `failed (stage): reason`. */
export function failedText(c: Extract<Cell, { status: 'failed' }>): string {
  return `FAILED (${c.stage}): ${c.reason}`;
}

/** A whole number with its sign: `+12`, `−3`, `0`. */
function signed(x: number): string {
  const r = Math.round(x);
  return r > 0 ? `+${r}` : r < 0 ? `−${-r}` : '0';
}

/** The batch sizes with throughput columns. */
function batchColumns(result: BenchResult): number[] {
  return result.settings.batchSizes;
}

/** The full result as a Markdown document section (no top-level title). */
export function renderMarkdown(result: BenchResult): string {
  const lines: string[] = [];
  const s = result.settings;
  lines.push(`Machine: ${machineLine(result)}.`, '');
  lines.push(`Settings: ${s.iterations} timed runs per variant after ${s.warmup} warm-up runs, ${s.order}; batch sizes ${s.batchSizes.join(', ')}; started ${result.startedAt}.`, '');
  const failedRuntimes = result.runtimes.filter((r) => r.failed);
  for (const r of failedRuntimes) lines.push(`Runtime ${r.name} could not load: ${r.failed}`, '');
  const batches = batchColumns(result);
  for (const m of result.models) {
    lines.push(`### ${m.name}`, '');
    if (m.description) lines.push(`${m.description}${m.inputs?.length ? `; inputs ${m.inputs.join(', ')}` : ''}.`, '');
    const data = qualityDataOf(result, m.name);
    if (data) lines.push(`Quality data: ${data.data}${data.dataKind === 'random' ? '; the figures show how closely each variant follows FP32 on noise, not its accuracy on real inputs' : ''}.`, '');
    const head = ['runtime', 'precision', 'median ms', 'p90 ms', 'p99 ms', 'IQR ms', 'speed-up', ...batches.map((b) => `batch ${b} /s`), 'session ms', 'RSS MiB (+session / peak)', 'size', 'size ratio', data?.dataKind === 'random' ? 'quality (data: random noise)' : 'quality'];
    const rows: string[][] = [];
    for (const r of result.runtimes) {
      const base = okCell(result, m.name, r.name, 'fp32');
      const baseBytes = m.variants.find((v) => v.precision === 'fp32')?.bytes;
      for (const p of s.precisions) {
        const c = findCell(result, m.name, r.name, p);
        const label = [runtimeTitle(result, r.name), precisionLabel(p)];
        if (!c) continue;
        if (c.status === 'failed') {
          rows.push([...label, failedText(c), ...Array(head.length - 3).fill('—')]);
          continue;
        }
        const tp = batches.map((b) => {
          const t = c.throughput.find((x) => x.batch === b);
          return !t ? '—' : 'failed' in t ? `failed: ${t.failed}` : t.samplesPerSecond.toFixed(1);
        });
        rows.push([
          ...label, formatMs(c.latencyMs.median), formatMs(c.latencyMs.p90), formatMs(c.latencyMs.p99), formatMs(c.latencyMs.iqr),
          base && p !== 'fp32' ? formatRatio(base.latencyMs.median / c.latencyMs.median) : '—',
          ...tp, formatMs(c.sessionMs), `${signed(c.sessionRssMiB)} / ${c.peakRssMiB}`, formatBytes(c.bytes), baseBytes && p !== 'fp32' ? formatRatio(baseBytes / c.bytes) : '—',
          c.qualityError ? `quality failed: ${c.qualityError}` : formatQuality(c.quality, p),
        ]);
      }
    }
    lines.push(...table(head, rows), '');
  }
  lines.push('Speed-up and size ratio are FP32 over the variant (higher is better); quality is accuracy on labelled data, else SQNR and top-1 agreement of the first output against FP32 on the same runtime, on the quality data named above each table.', '');
  return lines.join('\n');
}

/** Options of `renderSummary`. */
export interface SummaryOptions {
  /** The precision compared against FP32 (default int8-static). */
  candidate?: PrecisionId;
}

/** A median with its IQR: `12.3 (IQR 0.41)`. */
function withSpread(c: Extract<Cell, { status: 'ok' }>): string {
  return `${formatMs(c.latencyMs.median)} (IQR ${formatMs(c.latencyMs.iqr)})`;
}

/**
 * Per runtime and model: FP32 and candidate latency medians (with IQR), speed-up, size
 * ratio and SQNR; an accuracy column when some model has labelled data.
 */
export function renderSummary(result: BenchResult, options: SummaryOptions = {}): string {
  const cand = options.candidate ?? 'int8-static';
  const label = precisionLabel(cand);
  const withAccuracy = result.cells.some((c) => c.status === 'ok' && c.quality?.accuracy !== undefined);
  const head = ['runtime', 'model', 'FP32 median ms', `${label} median ms`, 'speed-up', 'size ratio', `${label} SQNR`, ...(withAccuracy ? [`${label} accuracy (FP32)`] : [])];
  const rows: string[][] = [];
  for (const r of result.runtimes) {
    for (const m of result.models) {
      const f = findCell(result, m.name, r.name, 'fp32');
      const q = findCell(result, m.name, r.name, cand);
      const name = [runtimeTitle(result, r.name), m.name];
      if (!f || !q) continue;
      if (f.status === 'ok' && q.status === 'ok') {
        const acc = (c: typeof f) => (c.quality?.accuracy !== undefined ? `${(100 * c.quality.accuracy).toFixed(1)}%` : '—');
        rows.push([
          ...name, withSpread(f), withSpread(q), formatRatio(f.latencyMs.median / q.latencyMs.median), formatRatio(f.bytes / q.bytes),
          q.quality?.sqnrDb !== undefined ? `${formatDb(q.quality.sqnrDb)}${q.quality.dataKind === 'random' ? ON_NOISE : ''}` : q.qualityError ? `failed: ${q.qualityError}` : '—',
          ...(withAccuracy ? [`${acc(q)} (${acc(f)})`] : []),
        ]);
      } else {
        rows.push([...name, f.status === 'ok' ? withSpread(f) : failedText(f), q.status === 'ok' ? withSpread(q) : failedText(q), '—', '—', '—', ...(withAccuracy ? ['—'] : [])]);
      }
    }
  }
  return table(head, rows).join('\n') + '\n';
}
