/**
 * Long fuzz campaign over one entry point, printing a summary table and the findings.
 *   npx tsx --conditions=@qtk/source tools/fuzz/campaign.ts --entry decode --cases 20000 --seed 1
 * Options: --start N (first case index), --workers N (child processes, default 1),
 * --timeout-ms (per case, 5000), --rss-mb (1536), --write DIR (each finding's case as an
 * .onnx file named entry-sSEED-iINDEX.onnx), --json FILE (every non-passing result).
 * Exits 1 when a finding is not in tools/fuzz/known-findings.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { FINDING_KINDS } from './classify.js';
import { runCampaign } from './runner.js';
import { compareWithKnown, formatSummary, loadKnownFindings, summarize } from './summary.js';
import { writeCase } from './repro.js';

const { values } = parseArgs({
  options: {
    entry: { type: 'string', default: 'decode' },
    cases: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    start: { type: 'string', default: '0' },
    workers: { type: 'string', default: '1' },
    'timeout-ms': { type: 'string', default: '5000' },
    'rss-mb': { type: 'string', default: '1536' },
    write: { type: 'string' },
    json: { type: 'string' },
  },
});
const entry = values.entry!;
const seed = Number(values.seed);
const cases = Number(values.cases);
const t0 = performance.now();
let done = 0;
const results = await runCampaign({
  entry, seed, cases, start: Number(values.start), workers: Number(values.workers),
  timeoutMs: Number(values['timeout-ms']), rssCapMb: Number(values['rss-mb']),
  onCase: (r) => {
    if (FINDING_KINDS.includes(r.outcome.kind)) process.stderr.write(`\ncase ${r.index}: ${r.outcome.kind} ${r.outcome.name ?? ''}: ${r.outcome.message ?? ''}\n`);
    if (++done % 500 === 0) process.stderr.write(`${done}/${cases} cases, ${((performance.now() - t0) / 1000).toFixed(0)} s\r`);
  },
});
const summary = summarize(results);
console.log(formatSummary(entry, seed, summary, (performance.now() - t0) / 1000));
const { unknown, gone } = compareWithKnown(results, entry, seed, loadKnownFindings());
console.log(`\nfindings not in known-findings.json: ${unknown.length}; known findings of this range that no longer show: ${gone.map((k) => k.index).join(', ') || 'none'}`);
if (values.write) {
  mkdirSync(values.write, { recursive: true });
  const failing = results.filter((r) => FINDING_KINDS.includes(r.outcome.kind));
  for (const r of failing) writeCase(path.join(values.write, `${entry}-s${seed}-i${r.index}.onnx`), seed, entry, r.index);
  console.log(`wrote ${failing.length} cases to ${values.write}`);
}
if (values.json) writeFileSync(values.json, JSON.stringify(results.filter((r) => r.outcome.kind !== 'ok'), null, 1));
process.exitCode = unknown.length ? 1 : 0;
