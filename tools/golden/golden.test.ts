/**
 * Quantized files stay byte-identical: each golden case (models x options, see
 * goldenCases.ts) hashes to the value recorded in hashes.json before the pipeline's
 * internals were reorganised. A difference means a change users would get.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GOLDEN_CASES, HASHES_FILE, sha256 } from './goldenCases.js';

const recorded = JSON.parse(readFileSync(HASHES_FILE, 'utf8')) as Record<string, string>;

describe('golden quantized files', () => {
  it('every case has a recorded hash and every recorded hash a case', () => {
    expect(Object.keys(recorded).sort()).toEqual(GOLDEN_CASES.map((c) => c.name).sort());
  });

  it.each(GOLDEN_CASES.map((c) => [c.name, c] as const))('%s writes the recorded bytes', async (name, c) => {
    expect(sha256(await c.produce())).toBe(recorded[name]);
  });
});
