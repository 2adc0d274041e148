/**
 * @qtk/core: the ONNX IR, ONNX read/write over bytes, quantization math, observers,
 * the quantization pipeline, the plugin registry and the executor contract.
 * Browser-safe: file access lives in `@qtk/core/node`.
 */
export * from './errors/QtkError.js';
export * from './ir/dtype.js';
export * from './ir/tensor.js';
export * from './ir/floatBits.js';
export * from './ir/graph.js';
export * from './ir/graphIndex.js';
export * from './onnx/index.js';
export * from './registry/registry.js';
export * from './exec/executor.js';
export * from './exec/extraOutputs.js';
