/** Number and text formatting shared by the Markdown and HTML reports. */
import { precisionLabel, type PrecisionId } from '../precision.js';
import type { Db, Quality } from '../quality.js';
import type { BenchResult, Cell, OkCell } from '../result.js';
import { runtimeLabel } from '../runtime.js';

/** Milliseconds with 3 significant digits or 2 decimals, whichever is shorter. */
export function formatMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

/** Bytes as B, KiB or MiB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

/** A SQNR in dB, `∞` when identical, `-∞` when no signal is left. */
export function formatDb(db: Db): string {
  if (db === 'Infinity') return '∞ dB';
  return db === '-Infinity' ? '-∞ dB' : `${db.toFixed(1)} dB`;
}

/** `x1.85` ratio text. */
export function formatRatio(r: number): string {
  return Number.isFinite(r) ? `×${r.toFixed(2)}` : '—';
}

/** What a figure taken on random inputs is followed by: ` on random noise`. */
export const ON_NOISE = ' on random noise';

/** The quality figures of a cell as one short text; figures on random inputs say so. */
export function formatQuality(q: Quality | undefined, precision: PrecisionId): string {
  if (!q) return '—';
  const parts: string[] = [];
  if (q.accuracy !== undefined) parts.push(`acc ${(100 * q.accuracy).toFixed(1)}%`);
  if (precision !== 'fp32') {
    if (q.sqnrDb !== undefined) parts.push(`SQNR ${formatDb(q.sqnrDb)}`);
    if (q.top1Agreement !== undefined) parts.push(`top-1 agreement ${(100 * q.top1Agreement).toFixed(0)}%`);
  } else if (q.accuracy === undefined) parts.push('reference');
  const text = parts.join(', ');
  return !text ? '—' : q.dataKind === 'random' && precision !== 'fp32' ? `${text}${ON_NOISE}` : text;
}

/** The quality data of a model's cells (the first measured cell's: every cell of a model is measured on the same data). */
export function qualityDataOf(result: BenchResult, model: string): Quality | undefined {
  for (const c of result.cells) if (c.model === model && c.status === 'ok' && c.quality) return c.quality;
  return undefined;
}

/** The cell of a model, runtime and precision, if any. */
export function findCell(result: BenchResult, model: string, runtime: string, precision: PrecisionId): Cell | undefined {
  return result.cells.find((c) => c.model === model && c.runtime === runtime && c.precision === precision);
}

/** The measured cell of a model, runtime and precision, if it was measured. */
export function okCell(result: BenchResult, model: string, runtime: string, precision: PrecisionId): OkCell | undefined {
  const c = findCell(result, model, runtime, precision);
  return c?.status === 'ok' ? c : undefined;
}

/** A runtime's table label (name, settings, version). */
export function runtimeTitle(result: BenchResult, runtime: string): string {
  const r = result.runtimes.find((x) => x.name === runtime);
  if (!r) return runtime;
  const label = runtimeLabel(r.name, r.settings);
  return r.version ? `${label} v${r.version}` : label;
}

/** The precision label used in tables. */
export { precisionLabel };

/** One line describing the machine. */
export function machineLine(result: BenchResult): string {
  const m = result.machine;
  return `${m.cpuModel}, ${m.cores} logical cores, ${m.memoryGiB} GiB; ISA: ${m.isaFlags.join(' ') || 'unknown'}; ` +
    `${m.os} ${m.arch}; Node ${m.node}; wasm SIMD ${m.wasmSimd ? 'yes' : 'no'}; load average ${m.loadAverage.join(' / ')} at start`;
}
