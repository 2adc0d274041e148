/**
 * Records the SHA-256 of every golden case's quantized file into hashes.json.
 * Run only when a change to the written files is intended and reviewed:
 * `npx tsx --conditions=@qtk/source tools/golden/record.ts`.
 */
import { writeFileSync } from 'node:fs';
import { GOLDEN_CASES, HASHES_FILE, sha256 } from './goldenCases.js';

const out: Record<string, string> = {};
for (const c of GOLDEN_CASES) {
  const t = performance.now();
  out[c.name] = sha256(await c.produce());
  console.log(`${c.name}: ${out[c.name]!.slice(0, 16)} (${((performance.now() - t) / 1000).toFixed(2)} s)`);
}
writeFileSync(HASHES_FILE, `${JSON.stringify(out, null, 2)}\n`);
console.log(`wrote ${Object.keys(out).length} hashes to ${HASHES_FILE}`);
