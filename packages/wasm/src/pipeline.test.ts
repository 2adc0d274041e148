/**
 * The onnxruntime backend's suites on the engine (backend checks, the pipeline suites of
 * `@qtk/core/testing`, onnxruntime's own suites): calibration, quality reports and
 * quantized models run on @qtk/wasm. What it cannot run yet is listed, typed, in
 * test-support/pipelineKnownFailures.ts; each listed test must still fail.
 */
import { describeBackend } from '@qtk/core/testing';
import { nodePipelineFixtures } from '@qtk/models/testing';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';
import { ONNXRUNTIME_SUITES } from '../../onnxruntime/src/test-support/suites/index.js';
import { wasmExecutor } from './executor.js';
import { PIPELINE_KNOWN_FAILURES } from './test-support/pipelineKnownFailures.js';

describeBackend(onnxruntimeBackend, wasmExecutor, { fixtures: nodePipelineFixtures(), knownFailures: PIPELINE_KNOWN_FAILURES, backendSuites: ONNXRUNTIME_SUITES });
