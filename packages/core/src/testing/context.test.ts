import { describe, expect, it } from 'vitest';
import type { Executor } from '../exec/executor.js';
import type { BackendPlugin } from '../backend/backend.js';
import type { FormatWriter } from '../convert/writers.js';
import { tinyBackend } from '../test-support/tinyBackend.js';
import { SuiteContext, lazy } from './context.js';
import type { PipelineFixtures } from './fixtures.js';
import { KnownFailureList } from './knownFailures.js';

const none: Executor = { name: 'none', createSession: () => Promise.reject(new Error('no runtime')) };

describe('SuiteContext registers tests by path and applies known failures', () => {
  const failures = new KnownFailureList([
    { test: 'demo > throws', reason: { kind: 'missing-op', op: 'If' } },
    { test: 'demo > never runs', reason: { kind: 'missing-op', op: 'If' }, run: 'skip' },
  ]);
  const root = new SuiteContext({ backend: tinyBackend, executor: none, unoptimized: none, fixtures: {} as PipelineFixtures, failures }, []);
  let skippedRan = false;
  let plainRan = false;
  root.describe('demo', (s) => {
    expect(s.path).toEqual(['demo']);
    // A known failure runs as it.fails: this test passes because its body throws.
    s.it('throws', () => { throw new Error('the op is missing'); });
    s.it('never runs', () => { skippedRan = true; });
    s.it('runs as usual', () => { plainRan = true; });
  });

  it('matched both entries, skipped the run: skip test and ran the plain one', () => {
    expect(failures.unmatched()).toEqual([]);
    expect(skippedRan).toBe(false);
    expect(plainRan).toBe(true);
  });
});

describe('SuiteContext.itWithFormat runs a test only when the backend writes the format', () => {
  const qop: FormatWriter = { format: 'qoperator', write: () => ({ converted: [], kept: [] }) };
  const withQop: BackendPlugin = { ...tinyBackend, name: 'with-qoperator', writers: { formats: [qop] } };
  const ran: string[] = [];
  for (const backend of [tinyBackend, withQop]) {
    const root = new SuiteContext({ backend, executor: none, unoptimized: none, fixtures: {} as PipelineFixtures, failures: new KnownFailureList() }, []);
    root.describe(backend.name, (s) => s.itWithFormat('qoperator', 'needs qoperator', () => { ran.push(backend.name); }));
  }

  it('skipped it for the backend without the format and ran it for the one with it', () => {
    expect(ran).toEqual(['with-qoperator']);
  });
});

describe('lazy', () => {
  it('makes the value once, on first use, and hands the same promise to every caller', async () => {
    let made = 0;
    const value = lazy(async () => ++made);
    expect(made).toBe(0);
    expect(await Promise.all([value(), value()])).toEqual([1, 1]);
    expect(made).toBe(1);
  });
});
