/**
 * @qtk/core: the ONNX IR, ONNX read/write over bytes, quantization math, observers,
 * the quantization pipeline, the plugin registry and the executor contract.
 * Browser-safe: file access lives in `@qtk/core/node`.
 */
export * from './errors/QtkError.js';
export * from './ir/dtype.js';
export * from './ir/tensor.js';
export * from './ir/floatBits.js';
export * from './ir/memoryBudget.js';
export * from './ir/graph.js';
export * from './ir/graphIndex.js';
export * from './ir/scopes.js';
export * from './onnx/index.js';
export * from './registry/registry.js';
export * from './backend/index.js';
export * from './exec/executor.js';
export * from './exec/extraOutputs.js';
export * from './exec/reductionOutputs.js';
export * from './spec/quantSpec.js';
export * from './observers/index.js';
export * from './annotate/annotation.js';
export * from './annotate/annotate.js';
export * from './scope/nodeScope.js';
export * from './scope/selection.js';
export * from './scope/nameHints.js';
export * from './annotate/fusable.js';
export * from './annotate/markHelpers.js';
export * from './convert/qdq.js';
export * from './convert/qdqOps.js';
export * from './convert/dynamic.js';
export * from './convert/weightOnly/index.js';
export * from './convert/nonUniform/index.js';
export * from './convert/qoperator/index.js';
export * from './convert/graphEditor.js';
export * from './convert/modelEditor.js';
export * from './pipeline/types.js';
export * from './pipeline/defaults.js';
export * from './pipeline/optionScopes.js';
export * from './pipeline/checkedOptions.js';
export * from './pipeline/calibrate.js';
export * from './pipeline/quantize.js';
export * from './pipeline/mixedPrecision.js';
export * from './compare/index.js';
export * from './quant/index.js';
export * from './shape/index.js';
export * from './opSchema/index.js';
export * from './opContracts/index.js';
export * from './transforms/index.js';
export * from './data/index.js';
