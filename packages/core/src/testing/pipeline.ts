/**
 * `describePipeline(executor, options)`: the pipeline's template suites (quantize, every
 * calibration method, phases, mixed precision, subgraphs, weight formats, bias
 * correction, reductions, compare, op families) registered for one executor and one
 * backend. Every executor package runs it; what an executor cannot run yet is typed data.
 */
import { describe, expect, it } from 'vitest';
import type { BackendPlugin } from '../backend/backend.js';
import type { Executor } from '../exec/executor.js';
import { SuiteContext } from './context.js';
import type { PipelineFixtures } from './fixtures.js';
import { KnownFailureList, type KnownFailure } from './knownFailures.js';
import { biasCorrectionSuite } from './suites/biasCorrection.js';
import { compareSuite } from './suites/compare.js';
import { methodsSuite } from './suites/methods.js';
import { mixedPrecisionSuite } from './suites/mixedPrecision.js';
import { opsSuite } from './suites/ops.js';
import { phasesSuite } from './suites/phases.js';
import { quantizeSuite } from './suites/quantize.js';
import { reductionsSuite } from './suites/reductions.js';
import { subgraphsSuite } from './suites/subgraphs.js';
import { weightFormatsSuite } from './suites/weightFormats.js';

/** A template suite: registers its describe blocks and tests through the context. */
export type PipelineSuite = (s: SuiteContext) => void;

/** The pipeline suites by id; the id is the first segment of a known failure's path. */
export const PIPELINE_SUITES = {
  quantize: quantizeSuite,
  methods: methodsSuite,
  phases: phasesSuite,
  mixedPrecision: mixedPrecisionSuite,
  subgraphs: subgraphsSuite,
  weightFormats: weightFormatsSuite,
  biasCorrection: biasCorrectionSuite,
  reductions: reductionsSuite,
  compare: compareSuite,
  ops: opsSuite,
} as const satisfies Record<string, PipelineSuite>;

/** Id of one pipeline suite: `'quantize'`, `'weightFormats'`, ... */
export type PipelineSuiteId = keyof typeof PIPELINE_SUITES;

/** Options of `describePipeline`. */
export interface PipelineSuiteOptions {
  /** The backend every quantization of the suites runs for (a package's default-exported plugin). */
  backend: BackendPlugin;
  /** Data and model builders (Node: `nodePipelineFixtures()` from `@qtk/models/testing`). */
  fixtures: PipelineFixtures;
  /** Tests this executor cannot pass yet, with the reason; each must still fail. */
  knownFailures?: readonly KnownFailure[];
  /** The same runtime without graph optimizations, for exact comparisons (default: the executor). */
  unoptimized?: Executor;
  /** Suites to register (default: all). */
  suites?: readonly PipelineSuiteId[];
}

/**
 * Registers the pipeline suites for `executor` and `options.backend` under one describe block.
 * Example: `describePipeline(myExecutor, { backend: myBackend, fixtures: nodePipelineFixtures() })`
 * in a `*.test.ts` file of the executor's package.
 */
export function describePipeline(executor: Executor, options: PipelineSuiteOptions): void {
  registerSuites(`pipeline suites on ${executor.name}`, executor, options, pipelineSuites(options.suites));
}

/** The selected pipeline suites (default: all) as [id, suite] pairs. */
export function pipelineSuites(ids?: readonly PipelineSuiteId[]): Array<[string, PipelineSuite]> {
  return (ids ?? (Object.keys(PIPELINE_SUITES) as PipelineSuiteId[])).map((id) => [id, PIPELINE_SUITES[id]]);
}

/**
 * Registers `suites` under one describe block titled `title`, sharing one known-failure
 * list, and a last test that fails on a known failure naming no registered test.
 */
export function registerSuites(title: string, executor: Executor, options: PipelineSuiteOptions, suites: ReadonlyArray<readonly [string, PipelineSuite]>): void {
  const failures = new KnownFailureList(options.knownFailures);
  const setup = { backend: options.backend, executor, unoptimized: options.unoptimized ?? executor, fixtures: options.fixtures, failures };
  describe(title, () => {
    const root = new SuiteContext(setup, []);
    for (const [id, suite] of suites) root.describe(id, suite);
    it('lists no known failure that names no registered test', () => {
      expect(failures.unmatched().map((f) => f.test)).toEqual([]);
    });
  });
}
