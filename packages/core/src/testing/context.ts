/**
 * The handle a shared suite registers its tests through: the backend and executor under
 * test, the fixtures, and describe/it that consult the known failures by test path.
 */
import { describe, it } from 'vitest';
import type { BackendPlugin } from '../backend/backend.js';
import type { Executor, SessionOptions } from '../exec/executor.js';
import type { Model } from '../ir/graph.js';
import type { Tensor } from '../ir/tensor.js';
import type { PipelineFixtures } from './fixtures.js';
import { formatFailureReason, type KnownFailureList } from './knownFailures.js';
import { runOnce } from './session.js';

/** What one backend-and-executor run of the shared suites is made of. */
export interface SuiteSetup {
  /** The backend every quantization of the suites runs for (`ctx.backend`). */
  readonly backend: BackendPlugin;
  readonly executor: Executor;
  /** Runs without graph optimizations, for exact comparisons (the executor itself when it has none). */
  readonly unoptimized: Executor;
  readonly fixtures: PipelineFixtures;
  readonly failures: KnownFailureList;
}

/** A suite's view of one describe block: register tests and nested blocks, run models. */
export class SuiteContext {
  /** The backend under test: pass it as `backend` in every quantizeModel/prepareStatic context. */
  readonly backend: BackendPlugin;
  /** The executor under test. */
  readonly executor: Executor;
  /** Same runtime without graph optimizations (see `SuiteSetup.unoptimized`). */
  readonly unoptimized: Executor;
  /** Data and model builders injected by the executor package. */
  readonly fixtures: PipelineFixtures;

  /** `path` holds the titles from the suite id down to this block. */
  constructor(private readonly setup: SuiteSetup, readonly path: readonly string[]) {
    this.backend = setup.backend;
    this.executor = setup.executor;
    this.unoptimized = setup.unoptimized;
    this.fixtures = setup.fixtures;
  }

  /** Registers a describe block; a known failure with `run: 'skip'` on it skips it whole. */
  describe(name: string, body: (s: SuiteContext) => void): void {
    const child = new SuiteContext(this.setup, [...this.path, name]);
    const known = this.setup.failures.lookup(child.path.join(' > '));
    if (known?.run === 'skip' && known.test === child.path.join(' > ')) {
      describe.skip(`${name} [skipped: ${formatFailureReason(known.reason)}]`, () => body(child));
      return;
    }
    describe(name, () => body(child));
  }

  /** Registers a test; a known failure runs it expecting failure, or skips it with `run: 'skip'`. */
  it(title: string, body: () => Promise<void> | void): void {
    const known = this.setup.failures.lookup([...this.path, title].join(' > '));
    if (!known) it(title, body);
    else if (known.run === 'skip') it.skip(`${title} [skipped: ${formatFailureReason(known.reason)}]`, body);
    else it.fails(`${title} [known failure: ${formatFailureReason(known.reason)}]`, body);
  }

  /**
   * Registers a test that needs the backend to write `format` (e.g. 'qoperator'); with a
   * backend whose writers offer no such format it is skipped, saying so.
   */
  itWithFormat(format: string, title: string, body: () => Promise<void> | void): void {
    if (this.backend.writers?.formats?.some((w) => w.format === format)) this.it(title, body);
    else it.skip(`${title} [skipped: backend '${this.backend.name}' writes no '${format}' format]`, body);
  }

  /** Runs `model` once on the executor under test (a session of its own) and returns the outputs. */
  run(model: Model, feeds: Record<string, Tensor>, options?: SessionOptions): Promise<Record<string, Tensor>> {
    return runOnce(this.executor, model, feeds, options);
  }
}

/**
 * A value made once, on first use, by a test that needs it: a describe block's setup
 * (quantizing a model, say) then runs inside its tests, where a failure is that test's
 * failure, and not at all when every test of the block is skipped.
 */
export function lazy<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}
