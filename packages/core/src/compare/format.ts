/** Text tables of a CompareReport, for terminals and logs. */
import type { CompareReport } from './report.js';

/** Options of `formatCompareReport`. */
export interface FormatCompareOptions {
  /** Show at most this many nodes (default: all). */
  top?: number;
}

/** A dB value with two decimals; `inf` and `-inf` for the infinities. */
export function formatDb(db: number): string {
  if (db === Infinity) return 'inf';
  if (db === -Infinity) return '-inf';
  return Number.isNaN(db) ? 'nan' : db.toFixed(2);
}

/** Nodes named in the line about nodes the reference lacks (the JSON form lists all). */
const UNMATCHED_SHOWN = 5;

function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return x === 0 ? '0' : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? x.toPrecision(4) : x.toExponential(3);
}

/** Rows under a header, columns padded; numeric columns (`right`) right-aligned. */
function table(header: string[], rows: string[][], right: ReadonlySet<number>): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => '  ' + cells.map((s, c) => (right.has(c) ? s.padStart(widths[c]!) : s.padEnd(widths[c]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

/** The report as text: model outputs first, then nodes worst first (`top` of them). */
export function formatCompareReport(report: CompareReport, options: FormatCompareOptions = {}): string {
  const lines = [`compared on ${report.samples} samples (${report.batches} batches)`, '', 'model outputs:'];
  lines.push(...table(
    ['output', 'SQNR dB', 'cosine', 'max abs err'],
    report.outputs.map((o) => [o.tensor, formatDb(o.sqnrDb), o.cosine.toFixed(6), formatNumber(o.maxAbsError)]),
    new Set([1, 2, 3]),
  ));
  const shown = options.top === undefined ? report.nodes : report.nodes.slice(0, options.top);
  lines.push('', `nodes, lowest SQNR first (${shown.length} of ${report.nodes.length}; added: SQNR of the noise the node adds itself):`);
  lines.push(...table(
    ['node', 'op', 'SQNR dB', 'added dB', 'cosine', 'max abs err'],
    shown.map((n) => [n.node, n.opType, formatDb(n.sqnrDb), formatDb(n.addedSqnrDb), n.cosine.toFixed(6), formatNumber(n.maxAbsError)]),
    new Set([2, 3, 4, 5]),
  ));
  if (report.unmatched.length) {
    const u = report.unmatched;
    const names = u.slice(0, UNMATCHED_SHOWN).map((x) => `${x.node} (${x.opType}) -> '${x.tensor}'`).join(', ');
    lines.push('', `not compared, output not in the reference model: ${u.length} nodes: ${names}${u.length > UNMATCHED_SHOWN ? ', ...' : ''}`);
  }
  if (report.skipped.length) lines.push('', `not compared: ${report.skipped.map((s) => `'${s.tensor}': ${s.reason}`).join(', ')}`);
  return lines.join('\n') + '\n';
}
