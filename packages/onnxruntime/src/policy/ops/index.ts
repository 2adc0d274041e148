/** Every static op handler of the onnxruntime backend, one per op family. */
import type { OpHandler } from '@qtk/core';
import { convHandler } from './conv.js';
import { matmulHandler } from './matmul.js';
import { binaryHandler } from './binary.js';
import { averagePoolHandler, maxPoolHandler } from './pool.js';
import { passthroughHandler } from './passthrough.js';
import { argExtremumHandler, selectValuesHandler } from './reduce.js';
import { gatherHandler } from './gather.js';
import { splitHandler } from './split.js';
import { concatHandler } from './concat.js';
import { padHandler } from './pad.js';
import { resizeHandler } from './resize.js';
import { whereHandler } from './where.js';
import { activationHandler } from './activation.js';
import { normalizationHandler } from './normalization.js';
import { cumSumHandler } from './cumsum.js';

/**
 * The static handlers of the onnxruntime backend. They cover onnxruntime's QDQ
 * quantizer registry and the ops its CPU provider runs on integers. No op type appears twice.
 */
export const STATIC_HANDLERS: readonly OpHandler[] = [
  convHandler, matmulHandler, binaryHandler, averagePoolHandler, maxPoolHandler, passthroughHandler,
  selectValuesHandler, argExtremumHandler, gatherHandler, splitHandler, concatHandler, padHandler,
  resizeHandler, whereHandler, activationHandler, normalizationHandler, cumSumHandler,
];
