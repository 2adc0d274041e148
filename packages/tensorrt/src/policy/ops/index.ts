/** Every placement handler of the TensorRT backend, one per op family. */
import type { OpHandler } from '@qtk/core';
import { convHandler } from './conv.js';
import { matmulHandler } from './matmul.js';
import { residualAddHandler } from './residualAdd.js';
import { poolHandler } from './pool.js';
import { normalizationHandler } from './normalization.js';

/**
 * The INT8 explicit-quantization handlers: Q/DQ on the inputs of Conv, ConvTranspose, Gemm,
 * MatMul, the skip branch of residual Adds, pooling and normalization inputs. Other op types
 * stay float; TensorRT fuses them into the layers around them.
 */
export const TENSORRT_HANDLERS: readonly OpHandler[] = [convHandler, matmulHandler, residualAddHandler, poolHandler, normalizationHandler];
