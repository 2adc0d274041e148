/**
 * @qtk/core/internal: helpers that qtk's own packages (executors, the CLI, benchmarks,
 * tools and tests) share with core but that are not part of the public API. Names here
 * may change or go in any release, without notice; import from `@qtk/core` when a name
 * is there. Browser-safe, like `@qtk/core`.
 */

// annotation internals
export { isFusableActivation } from './annotate/fusable.js';
export { closestNames, editDistance } from './scope/nameHints.js';
export { checkSelection, excludeEntryScope, isExcluded, matchesEntry, type QuantizableOps } from './scope/selection.js';
export { compilePattern, nodesWithGraphs } from './scope/nodeScope.js';

// comparison internals
export { ArgmaxAgreement, ErrorAccumulator } from './compare/errorStats.js';
export { jsonNumber, withJsonNumbers } from './compare/jsonNumbers.js';
export { type Measured, measureErrors, type MeasureExtras } from './compare/measure.js';
export { type NodeProbe, planProbes, type ProbePlan, type TensorPair } from './compare/probes.js';

// conversion internals (Q/DQ planning, QOperator rules, weight formats)
export { GraphEditor } from './convert/graphEditor.js';
export { ModelEditor } from './convert/modelEditor.js';
export {
  decodeNonUniform, encodeNonUniform, type NonUniformScheme, type NonUniformWeight
} from './convert/nonUniform/encode.js';
export { emitExpansion } from './convert/nonUniform/expand.js';
export { packNibblePlanes, unpackNibblePlanes } from './convert/nonUniform/nibblePlanes.js';
export {
  defaultDomainOpset, ensureIrForInt4, needsQdqOpset21, opsetRaiseBlockers, QDQ_FLOAT8_OPSET, QDQ_FULL_OPSET, type QdqUse,
  raiseOpsetForBlocks, raiseOpsetForFloat8
} from './convert/qdqOps.js';
export { floorScalesForBias, quantizeBias, type QuantizedBias } from './plan/quantizeBias.js';
export { LiveIndex } from './transforms/liveIndex.js';
export { blockCodes, type BlockCodes, dequantizeBlockCodes } from './convert/weightOnly/blockCodes.js';

// calibration data internals
export { formatDims } from './data/batching.js';

// IR helpers
export {
  type ChainStep, matchChains, modelNames, nodeReads, outerReads, uniqueName, usedNames
} from './ir/graphIndex.js';
export { formatBytes } from './ir/memoryBudget.js';
export { type GraphScope, graphScopes, scopeConstant, type ScopedConstant, scopeField } from './ir/scopes.js';
export { toInt64 } from './ir/tensorValues.js';

// observer internals (histograms, range searches)
export { type EntropyOptions, entropyRange, entropyThreshold } from './observers/entropyRange.js';
export { finiteExtent, type FiniteExtent } from './observers/finiteExtent.js';
export { HISTOGRAM_MAX_BINS_FACTOR } from './observers/fixedWidthHistogram.js';
export { sampleExtrema, type SampleExtrema } from './observers/meanMinMax.js';
export { type MseOptions, mseRange } from './observers/mseRange.js';
export { percentileRange } from './observers/percentileRange.js';

// ONNX read/write internals
export { checkExternalLocation } from './onnx/externalPath.js';

// op schemas
export { checkNodeAttributes, type CheckNodeOptions, type DimsOf } from './opSchema/checkNode.js';
export { isDefaultDomain, OP_SCHEMAS, opSchemaOf, schemaKey } from './opSchema/opSchemas.js';
export {
  type AttrSpec, type AxisRange, type FloatSpec, type IntSpec, type IntsSpec, type NodeRule, type OpSchema,
  type PlainSpec, type SchemaTable, type StringSpec
} from './opSchema/types.js';
export { declaredDims, validateNode } from './opSchema/validateModel.js';

// pipeline internals
export { observerForMethod } from './pipeline/defaults.js';
export {
  MAX_RESTORE_TRIES, MIXED_PRECISION_BATCHES, rankSensitivity, searchMixedPrecision, type Sensitivity
} from './pipeline/mixedPrecision.js';
export { checkOptionScopes } from './pipeline/optionScopes.js';
export { STATIC_BODY_REASON } from './pipeline/quantize.js';

// quantization math internals (layouts, reference kernels)
export { forEachSpan, type ResolvedQLayout, resolveQLayout } from './quant/layout.js';
export { layoutMinMax } from './quant/layoutRange.js';
export { type ConvAttributes, convAttributesOf, type ConvPlan, planConv } from './quant/reference/convGeometry.js';
export { convInteger } from './quant/reference/convInteger.js';
export { type ConvIntegerParams } from './quant/reference/convIntegerParams.js';
export { matMulInteger, type MatMulIntegerParams } from './quant/reference/matMulInteger.js';
export { type MatMulShape, planMatMul } from './quant/reference/matmulShape.js';
export { qlinearConv, type QLinearConvParams } from './quant/reference/qlinearConv.js';
export { qlinearMatMul, type QLinearMatMulParams } from './quant/reference/qlinearMatMul.js';
export { requantize, requantMultiplier } from './quant/reference/requantize.js';

// shape inference internals
export { constantNodeValue } from './shape/constantValue.js';
export { DimAlgebra } from './shape/dims.js';
export { shapeRules } from './shape/registry.js';
export { ShapeUnknown } from './shape/types.js';
export { type StaticValue, staticValueShapes } from './shape/valueShapes.js';

// graph transform internals
export { type ChannelAffine, foldChannelAffine, type ReaderLookup } from './transforms/foldBatchNorm.js';
export { type FoldKernel, foldKernels } from './transforms/foldKernels.js';
export { OP_ADAPTERS } from './transforms/opsetUpgrade/index.js';
export { transpose2d } from './transforms/tensorOps.js';
