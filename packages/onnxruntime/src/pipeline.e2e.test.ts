/**
 * The shared pipeline suites of `@qtk/core/testing` on onnxruntime-node, with exact
 * comparisons in sessions whose graph optimizations are off.
 */
import * as ort from 'onnxruntime-node';
import type { Executor } from '@qtk/core';
import { describePipeline } from '@qtk/core/testing';
import { nodePipelineFixtures } from '@qtk/models/testing';
import { ortNode } from './node.js';
import { createOrtSession, type OrtModule } from './ortSession.js';

/** onnxruntime-node with graph optimizations off: what the model says, without kernel fusion. */
const unoptimized: Executor = {
  name: 'onnxruntime-node (graph optimizations off)',
  createSession: (model, options) => createOrtSession(ort as unknown as OrtModule, model, { ...options, ortOptions: { graphOptimizationLevel: 'disabled' } }),
};

describePipeline(ortNode, { fixtures: nodePipelineFixtures(), unoptimized });
