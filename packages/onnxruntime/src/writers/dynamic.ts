/** onnxruntime's dynamic-mode form: its ConvInteger takes uint8 × uint8 only, so Conv weights are uint8 around 128. */
import type { DynamicWriter } from '@qtk/core';

/** Dynamic mode as onnxruntime's CPU kernels run it. */
export const ortDynamicWriter: DynamicWriter = { name: 'onnxruntime', convIntegerWeightType: 'uint8' };
