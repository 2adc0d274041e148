/**
 * onnxruntime's own template suites: its QOperator writer and its weight node forms,
 * registered beside the pipeline suites by `describeBackend(onnxruntimeBackend, executor,
 * { backendSuites: ONNXRUNTIME_SUITES, ... })` on every executor that runs the backend.
 */
import type { PipelineSuite } from '@qtk/core/testing';
import { qoperatorSuite } from './qoperator.js';
import { ortWeightFormatsSuite } from './weightFormats.js';

/** The onnxruntime backend's suites by id; the id is the first segment of a known failure's path. */
export const ONNXRUNTIME_SUITES = {
  qoperator: qoperatorSuite,
  ortWeightFormats: ortWeightFormatsSuite,
} as const satisfies Record<string, PipelineSuite>;
