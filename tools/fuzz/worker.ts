/**
 * The child process of a campaign: loads the seed corpus once, then for each
 * `{ seed, entry, index }` message rebuilds that case, runs the entry point and replies with
 * the outcome. Started by `runner.ts` with a heap cap; the parent enforces the per-case
 * timeout and the RSS cap by killing this process.
 */
import { classifyError, type Outcome } from './classify.js';
import { makeCase } from './cases.js';
import { ENTRY_POINTS } from './entries.js';
import { loadSeeds } from './seeds.js';

/** A request from the parent. */
export interface CaseRequest {
  seed: number;
  entry: string;
  index: number;
}

/** The reply to one request. */
export interface CaseReply {
  index: number;
  outcome: Outcome;
}

/** Runs one case in this process and classifies how it ended (also used by the repro script). */
export async function runCase(corpus: ReturnType<typeof loadSeeds>, req: CaseRequest): Promise<Outcome> {
  const entry = ENTRY_POINTS[req.entry];
  if (!entry) throw new Error(`unknown entry point '${req.entry}' (known: ${Object.keys(ENTRY_POINTS).join(', ')})`);
  const c = makeCase(corpus, req.seed, req.entry, req.index, entry.groups);
  try {
    await entry.run(c);
    return { kind: 'ok' };
  } catch (e) {
    return classifyError(e);
  }
}

if (process.send) {
  const corpus = loadSeeds();
  process.on('message', (req: CaseRequest) => {
    void runCase(corpus, req).then((outcome) => process.send!({ index: req.index, outcome } satisfies CaseReply));
  });
  process.send({ ready: true });
}
