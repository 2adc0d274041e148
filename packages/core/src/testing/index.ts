/**
 * @qtk/core/testing: template test suites that every executor and backend package runs
 * (`describePipeline`, `describeBackend`), and the helpers they share. Imports vitest, an
 * optional peer dependency of @qtk/core: load this entry from test files only. Does no file I/O; fixtures come in
 * through `PipelineFixtures` (`@qtk/models/testing` reads them in Node).
 */
export { describePipeline, PIPELINE_SUITES, type PipelineSuite, type PipelineSuiteId, type PipelineSuiteOptions } from './pipeline.js';
export { describeBackend, type BackendSuiteOptions } from './backendSuite.js';
export { SuiteContext, lazy, type SuiteSetup } from './context.js';
export { KnownFailureList, formatFailureReason, type KnownFailure, type FailureReason } from './knownFailures.js';
export type { PipelineFixtures, DigitsData, ModelBuilders, BuildOptions, TestGraphBuilder, TestNodeOptions } from './fixtures.js';
export { digitsRows, batchesOf, accuracy, testAccuracy, loadDigits, digitsCalibration } from './digits.js';
export { randomTensor } from './random.js';
export { runOnce } from './session.js';
export { outputSqnr, relativeError, sqnrOf, suiteRunner, type SuiteRun } from './measures.js';
