/**
 * ONNX backend node cases (fixtures/onnx-backend-node) on the engine: every case that is
 * not a known failure (test-support/conformanceKnownFailures.ts) matches the reference
 * outputs, and every known failure is still refused with a typed error.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeModel } from '@qtk/core';
import { formatFailureReason } from '@qtk/core/testing';
import { runCase } from './test-support/conformanceCase.js';
import { CONFORMANCE_KNOWN_FAILURES, type ConformanceKnownFailure } from './test-support/conformanceKnownFailures.js';

const ROOT = fileURLToPath(new URL('../../../fixtures/onnx-backend-node/', import.meta.url));
const CASES = readdirSync(ROOT).filter((d) => d.startsWith('test_')).sort();
/** Op types of each case's graph. */
const OPS = new Map(CASES.map((c) => [c, new Set(decodeModel(readFileSync(`${ROOT}${c}/model.onnx`)).graph.nodes.map((n) => n.opType))]));

/** The known failure naming case `c`, by name or by one of its ops. */
function knownFailureOf(c: string): ConformanceKnownFailure | undefined {
  return CONFORMANCE_KNOWN_FAILURES.find((k) => ('case' in k ? k.case === c : OPS.get(c)!.has(k.op)));
}

describe('ONNX backend node cases (fixtures/onnx-backend-node)', () => {
  it('lists each known failure once, each naming a case or an op of the fixtures', () => {
    const keys = CONFORMANCE_KNOWN_FAILURES.map((k) => ('case' in k ? `case ${k.case}` : `op ${k.op}`));
    expect(new Set(keys).size).toBe(keys.length);
    const stale = CONFORMANCE_KNOWN_FAILURES.filter((k) => !CASES.some((c) => knownFailureOf(c) === k));
    expect(stale).toEqual([]);
  });

  for (const c of CASES) {
    const known = knownFailureOf(c);
    if (known) {
      it(`${c} is still refused with a typed error (known failure: ${formatFailureReason(known.reason)})`, async () => {
        expect(await runCase(`${ROOT}${c}`), 'no longer refused: remove its entry from conformanceKnownFailures.ts').toEqual({ accepted: false });
      });
    } else {
      it(`${c} matches the reference outputs`, async () => {
        expect(await runCase(`${ROOT}${c}`)).toEqual({ accepted: true });
      });
    }
  }
});
