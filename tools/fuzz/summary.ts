/**
 * A campaign's results summed up: cases per outcome class, typed errors per code, and the
 * findings grouped by signature, each with its count and the first case that shows it,
 * checked against the known findings (`known-findings.json`).
 * Example: `summarize(results).counts.untyped === 0` on a clean campaign.
 */
import { readFileSync } from 'node:fs';
import { FINDING_KINDS, signature, type Outcome, type OutcomeKind } from './classify.js';
import type { CaseResult } from './runner.js';

/** A finding the fuzz test tolerates until it is fixed: the case that shows it and why it happens. */
export interface KnownFinding {
  entry: string;
  seed: number;
  index: number;
  /** Outcome class the case ends in today. */
  kind: OutcomeKind;
  /** What goes wrong and where, for whoever fixes it. */
  reason: string;
}

/** A group of findings with one signature. */
export interface FindingGroup {
  signature: string;
  outcome: Outcome;
  count: number;
  /** Case indices, lowest first. */
  indices: number[];
}

/** Counts of a campaign by outcome class, typed codes, and its findings. */
export interface CampaignSummary {
  cases: number;
  counts: Record<OutcomeKind, number>;
  typedCodes: Record<string, number>;
  findings: FindingGroup[];
  /** Slowest case in ms. */
  slowestMs: number;
}

/** Path of the checked-in known findings. */
export const KNOWN_FINDINGS_FILE = new URL('./known-findings.json', import.meta.url);

/** The known findings, as checked in. */
export function loadKnownFindings(): KnownFinding[] {
  return (JSON.parse(readFileSync(KNOWN_FINDINGS_FILE, 'utf8')) as { findings: KnownFinding[] }).findings;
}

/** Sums up the results of one campaign. */
export function summarize(results: readonly CaseResult[]): CampaignSummary {
  const counts = { ok: 0, typed: 0, untyped: 0, trap: 0, hang: 0, crash: 0, memory: 0 } satisfies Record<OutcomeKind, number>;
  const typedCodes: Record<string, number> = {};
  const groups = new Map<string, FindingGroup>();
  let slowestMs = 0;
  for (const r of results) {
    counts[r.outcome.kind]++;
    slowestMs = Math.max(slowestMs, r.ms);
    if (r.outcome.kind === 'typed') typedCodes[r.outcome.code!] = (typedCodes[r.outcome.code!] ?? 0) + 1;
    if (!FINDING_KINDS.includes(r.outcome.kind)) continue;
    const sig = signature(r.outcome);
    const g = groups.get(sig) ?? { signature: sig, outcome: r.outcome, count: 0, indices: [] };
    g.count++;
    g.indices.push(r.index);
    groups.set(sig, g);
  }
  const findings = [...groups.values()].sort((a, b) => b.count - a.count);
  for (const g of findings) g.indices.sort((a, b) => a - b);
  return { cases: results.length, counts, typedCodes, findings, slowestMs };
}

/** Findings of a campaign not in the known list, and known ones of its range that no longer show. */
export function compareWithKnown(results: readonly CaseResult[], entry: string, seed: number, known: readonly KnownFinding[]): { unknown: CaseResult[]; gone: KnownFinding[] } {
  const mine = known.filter((k) => k.entry === entry && k.seed === seed);
  const byIndex = new Map(results.map((r) => [r.index, r]));
  const unknown = results.filter((r) => FINDING_KINDS.includes(r.outcome.kind) && !mine.some((k) => k.index === r.index && k.kind === r.outcome.kind));
  const gone = mine.filter((k) => { const r = byIndex.get(k.index); return r !== undefined && r.outcome.kind !== k.kind; });
  return { unknown, gone };
}

/** The summary as a plain-text table and a list of finding groups. */
export function formatSummary(entry: string, seed: number, s: CampaignSummary, seconds: number): string {
  const cols: OutcomeKind[] = ['ok', 'typed', 'untyped', 'trap', 'hang', 'crash', 'memory'];
  const head = ['entry', 'seed', 'cases', ...cols, 'slowest ms', 'seconds'];
  const row = [entry, String(seed), String(s.cases), ...cols.map((k) => String(s.counts[k])), s.slowestMs.toFixed(0), seconds.toFixed(1)];
  const w = head.map((h, i) => Math.max(h.length, row[i]!.length));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(w[i]!)).join(' | ')} |`;
  const out = [line(head), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, line(row)];
  out.push('', `typed errors by code: ${Object.entries(s.typedCodes).sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ') || 'none'}`);
  if (s.findings.length) {
    out.push('', `findings (${s.findings.length} signatures; reproduce with tools/fuzz/repro.ts --entry ${entry} --seed ${seed} --index N):`);
    for (const g of s.findings) out.push(`  ${String(g.count).padStart(6)}  first ${g.indices[0]}  ${g.signature}`);
  }
  return out.join('\n');
}
