/**
 * `describePipeline(executor, options)`: the pipeline's template suites (quantize, every
 * calibration method, phases, mixed precision, subgraphs, weight formats, QOperator,
 * bias correction, reductions, compare, op families) registered for one executor.
 * Every executor package runs it; what an executor cannot run yet is typed data.
 */
import { describe, expect, it } from 'vitest';
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
import { qoperatorSuite } from './suites/qoperator.js';
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
  qoperator: qoperatorSuite,
  biasCorrection: biasCorrectionSuite,
  reductions: reductionsSuite,
  compare: compareSuite,
  ops: opsSuite,
} as const satisfies Record<string, PipelineSuite>;

/** Id of one pipeline suite: `'quantize'`, `'weightFormats'`, ... */
export type PipelineSuiteId = keyof typeof PIPELINE_SUITES;

/** Options of `describePipeline`. */
export interface PipelineSuiteOptions {
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
 * Registers the pipeline suites for `executor` under one describe block.
 * Example: `describePipeline(myExecutor, { fixtures: nodePipelineFixtures() })` in a
 * `*.test.ts` file of the executor's package.
 */
export function describePipeline(executor: Executor, options: PipelineSuiteOptions): void {
  const failures = new KnownFailureList(options.knownFailures);
  const setup = { executor, unoptimized: options.unoptimized ?? executor, fixtures: options.fixtures, failures };
  const ids = options.suites ?? (Object.keys(PIPELINE_SUITES) as PipelineSuiteId[]);
  describe(`pipeline suites on ${executor.name}`, () => {
    const root = new SuiteContext(setup, []);
    for (const id of ids) root.describe(id, PIPELINE_SUITES[id]);
    it('lists no known failure that names no registered test', () => {
      expect(failures.unmatched().map((f) => f.test)).toEqual([]);
    });
  });
}
