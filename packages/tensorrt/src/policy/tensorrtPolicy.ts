/**
 * TensorRT's explicit-quantization placement: Q/DQ on the inputs of the layers TensorRT runs
 * in INT8, never on outputs for their own sake, so that its fusions (Conv + bias + BN +
 * activation + residual Add, Conv + pooling) stay possible.
 */
import { policyFromHandlers, type PlacementPolicy } from '@qtk/core';
import { TENSORRT_HANDLERS } from './ops/index.js';

/** The TensorRT placement policy: one handler per op family (see ./ops). */
export const tensorrtPolicy: PlacementPolicy = policyFromHandlers(TENSORRT_HANDLERS);
