/**
 * The shared pipeline suites of `@qtk/core/testing` on the engine: calibration,
 * quality reports and quantized models run on @qtk/wasm. What it cannot run yet is
 * listed, typed, in test-support/pipelineKnownFailures.ts; each listed test must still fail.
 */
import { describePipeline } from '@qtk/core/testing';
import { nodePipelineFixtures } from '@qtk/models/testing';
import { wasmExecutor } from './executor.js';
import { PIPELINE_KNOWN_FAILURES } from './test-support/pipelineKnownFailures.js';

describePipeline(wasmExecutor, { fixtures: nodePipelineFixtures(), knownFailures: PIPELINE_KNOWN_FAILURES });
