/**
 * The onnxruntime backend on onnxruntime-node: the backend checks and pipeline suites of
 * `@qtk/core/testing` and onnxruntime's own suites (QOperator, weight node forms), with
 * exact comparisons in sessions whose graph optimizations are off.
 */
import * as ort from 'onnxruntime-node';
import type { Executor } from '@qtk/core';
import { describeBackend } from '@qtk/core/testing';
import { nodePipelineFixtures } from '@qtk/models/testing';
import { ortNode } from './node.js';
import { createOrtSession, type OrtModule } from './ortSession.js';
import { onnxruntimeBackend } from './policy.js';
import { ONNXRUNTIME_SUITES } from './test-support/suites/index.js';

/** onnxruntime-node with graph optimizations off: what the model says, without kernel fusion. */
const unoptimized: Executor = {
  name: 'onnxruntime-node (graph optimizations off)',
  createSession: (model, options) => createOrtSession(ort as unknown as OrtModule, model, { ...options, ortOptions: { graphOptimizationLevel: 'disabled' } }),
};

describeBackend(onnxruntimeBackend, ortNode, { fixtures: nodePipelineFixtures(), unoptimized, backendSuites: ONNXRUNTIME_SUITES });
