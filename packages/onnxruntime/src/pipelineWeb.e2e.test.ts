/**
 * The shared pipeline suites of `@qtk/core/testing` on onnxruntime-web's wasm backend,
 * run in Node (one thread), with exact comparisons in sessions whose graph optimizations
 * are off. It passes every test today, so it lists no known failures.
 */
import * as ort from 'onnxruntime-web';
import type { Executor } from '@qtk/core';
import { describePipeline } from '@qtk/core/testing';
import { nodePipelineFixtures } from '@qtk/models/testing';
import { ortWeb } from './web.js';
import { createOrtSession, type OrtModule } from './ortSession.js';

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

describePipeline(ortWeb, { fixtures: nodePipelineFixtures(), unoptimized });
