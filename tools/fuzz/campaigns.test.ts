import { describe, expect, it } from 'vitest';
import { FINDING_KINDS } from './classify.js';
import { runCampaign } from './runner.js';
import { compareWithKnown, loadKnownFindings, summarize } from './summary.js';

/**
 * Short campaigns for CI (about a minute on 2 cores together): every case must pass or end
 * in a QtkError, apart from the cases listed in known-findings.json. Longer campaigns are
 * run with tools/fuzz/campaign.ts.
 */
const CI_CAMPAIGNS = [
  { entry: 'decode', cases: 1500 },
  { entry: 'quantize', cases: 400 },
  { entry: 'wasm', cases: 600 },
] as const;
const SEED = 1;

describe('fuzz campaigns (short CI runs)', () => {
  const known = loadKnownFindings();
  for (const { entry, cases } of CI_CAMPAIGNS) {
    it(`${entry}: ${cases} fuzzed models end passing or in a typed error, no untyped error, escaped trap, hang, crash or runaway memory beyond the known findings`, async () => {
      const results = await runCampaign({ entry, seed: SEED, cases });
      const s = summarize(results);
      const { unknown, gone } = compareWithKnown(results, entry, SEED, known);
      const tolerated = results.filter((r) => FINDING_KINDS.includes(r.outcome.kind)).length - unknown.length;
      console.log(`fuzz ${entry} seed ${SEED}: ${JSON.stringify(s.counts)}; known findings tolerated: ${tolerated}`);
      if (gone.length) console.log(`fuzz ${entry}: known findings that no longer show (remove them from known-findings.json): ${gone.map((k) => k.index).join(', ')}`);
      expect(s.counts.ok + s.counts.typed).toBeGreaterThan(0);
      expect(unknown.map((r) => `case ${r.index}: ${r.outcome.kind} ${r.outcome.name}: ${r.outcome.message} at ${r.outcome.at ?? '?'}`)).toEqual([]);
    });
  }
});
