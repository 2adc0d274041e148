/**
 * The onnxruntime backend on onnxruntime-web's wasm backend, run in Node (one thread): the
 * backend checks and pipeline suites of `@qtk/core/testing` and onnxruntime's own suites, with exact comparisons in sessions whose graph optimizations
 * are off. It passes every test today, so it lists no known failures.
 */
import * as ort from 'onnxruntime-web';
import type { Executor } from '@qtk/core';
import { describeBackend } from '@qtk/core/testing';
import { nodePipelineFixtures } from '@qtk/models/testing';
import { ortWeb } from './web.js';
import { createOrtSession, type OrtModule } from './ortSession.js';
import { onnxruntimeBackend } from './policy.js';
import { ONNXRUNTIME_SUITES } from './test-support/suites/index.js';

/** onnxruntime-web (wasm, one thread) with graph optimizations off. */
const unoptimized: Executor = {
  name: 'onnxruntime-web (graph optimizations off)',
  createSession: (model, options) => {
    ort.env.wasm.numThreads = 1;
    return createOrtSession(ort as unknown as OrtModule, model, {
      ...options, threads: undefined, ortOptions: { executionProviders: ['wasm'], graphOptimizationLevel: 'disabled' },
    });
  },
};

describeBackend(onnxruntimeBackend, ortWeb, { fixtures: nodePipelineFixtures(), unoptimized, backendSuites: ONNXRUNTIME_SUITES });
