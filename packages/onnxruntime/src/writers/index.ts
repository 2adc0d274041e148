/**
 * @qtk/onnxruntime/writers: onnxruntime's dialect of the quantized model, as writers for
 * core's pipeline: com.microsoft Q/DQ where the opset lacks the ONNX ones, the QOperator
 * format (QLinearConv, QGemm, ...), MatMulNBits / GatherBlockQuantized for weight-only
 * mode and uint8 ConvInteger weights for dynamic mode. Loads no runtime (no onnxruntime-node
 * or -web import), so a browser bundle can take it.
 * The onnxruntime backend (../policy) carries them as its `writers`.
 */
import type { QuantWriters } from '@qtk/core';
import { ortQdqDialect } from './qdqDomains.js';
import { qoperatorWriter } from './qoperator/index.js';
import { ortWeightOnlyWriter } from './weightOnly/nbitsWriter.js';
import { ortDynamicWriter } from './dynamic.js';

export { ortQdqDialect, qdqFlavor, planQdqDomains, useMicrosoftDomain, MS_DOMAIN, type QdqFlavor } from './qdqDomains.js';
export * from './qoperator/index.js';
export { ortWeightOnlyWriter } from './weightOnly/nbitsWriter.js';
export { ortDynamicWriter } from './dynamic.js';
export { packMatMulNBits, matMulNBitsAttributes, type MatMulNBitsWeight } from './weightOnly/matMulNBits.js';
export { packGatherBlockQuantized, type GatherBlockQuantizedWeight } from './weightOnly/gatherBlockQuantized.js';

/** Every onnxruntime writer, as the onnxruntime backend's `writers`. */
export const ORT_WRITERS: QuantWriters = { qdq: ortQdqDialect, formats: [qoperatorWriter], weightOnly: ortWeightOnlyWriter, dynamic: ortDynamicWriter };
