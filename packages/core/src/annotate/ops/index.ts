/** Every static op handler core ships, in the order annotation tries them. */
import type { OpHandler } from '../annotation.js';
import { convHandler } from './conv.js';
import { matmulHandler } from './matmul.js';
import { binaryHandler } from './binary.js';
import { averagePoolHandler } from './pool.js';
import { passthroughHandler } from './passthrough.js';

/** The static handlers of the default (onnxruntime) target. */
export const STATIC_HANDLERS: readonly OpHandler[] = [convHandler, matmulHandler, binaryHandler, averagePoolHandler, passthroughHandler];
