/**
 * @qtk/core: the ONNX IR, ONNX read/write over bytes, quantization math, observers,
 * the quantization pipeline, the plugin registry and the executor contract.
 * Browser-safe: file access lives in `@qtk/core/node`. Every name is listed here on
 * purpose: an export change is an API change, reviewed through packages/core/api/core.api.md
 * (`npm run api:update` rewrites it). Helpers the workspace packages share but users
 * should not rely on live in `@qtk/core/internal`.
 */

// Top-level API: quantize a model (one call, or static mode in its two phases)
export {
  convertStatic, type PrepareOptions, prepareStatic, type ProfiledQuantizeContext, quantizeModel
} from './pipeline/quantize.js';
export {
  type CalibrationMethod, type Feeds, type FloatNode, type MixedPrecisionReport, type MixedPrecisionStep,
  type OnePassResult, type Progress, type QuantFormat, type QuantizeContext, type QuantizedNode,
  type QuantizeOptions, type QuantizeReport, type QuantizeWarning, type QuantMode, type QuantType,
  type ResolvedOptions, type WeightScheme, type AnyQuantizeOptions, type StaticQuantizeOptions,
  type DynamicQuantizeOptions, type WeightOnlyQuantizeOptions, type ResolvedStaticOptions,
  type ResolvedDynamicOptions, type ResolvedWeightOnlyOptions, type ResolvedFor, type OptionFields,
  type ModeFields, type CommonField, type FieldOf, type BackendSlot
} from './pipeline/types.js';
export { asQuantizeOptions } from './pipeline/checkedOptions.js';
export { type StaticConversion, type StaticState } from './pipeline/staticState.js';
export {
  calibrate, type CalibrateOptions, type CalibrationResult, type QuantizeProfiler, type QuantizeStage
} from './pipeline/calibrate.js';
export { DEFAULT_SAMPLE_LIMIT, resolveOptions } from './pipeline/defaults.js';
export { FLOAT8_DEFAULT_METHOD, FLOAT8_METHODS } from './pipeline/float8Options.js';
export { type QuantizedUnit } from './pipeline/mixedPrecision.js';
export {
  describeInapplicable, type InapplicableOption, inapplicableOptions, OPTION_SCOPES, type OptionScope
} from './pipeline/optionScopes.js';

// Top-level API: read and write ONNX models as bytes (files: @qtk/core/node)
export { decodeModel, type DecodeOptions, decodeTensorBytes, type ExternalDataResolver } from './onnx/decode.js';
export {
  type EncodedModel, encodeModel, type EncodeOptions, encodeTensorBytes, PROTOBUF_LIMIT
} from './onnx/encode.js';

// Top-level API: compare a quantized model with its float model
export { addedSqnrDb, compareModels, type CompareOptions } from './compare/compareModels.js';
export { type FormatCompareOptions, formatCompareReport, formatDb } from './compare/format.js';
export {
  byWorstSqnr, type CompareReport, type CompareReportJson, compareReportToJson, type NodeError,
  type TensorError
} from './compare/report.js';
export { noiseToSignal, sqnrDb } from './compare/errorStats.js';
export { type JsonNumber, type WithJsonNumbers } from './compare/jsonNumbers.js';
export { type MeasureOptions } from './compare/measure.js';

// Top-level API: check, preprocess and upgrade models
export { validateModel } from './opSchema/validateModel.js';
export { preprocess, type PreprocessOptions, type PreprocessSummary } from './transforms/preprocess.js';
export {
  type OpAdapter, upgradeOpset, type UpgradeOpsetOptions, type UpgradeOpsetResult
} from './transforms/opsetUpgrade/index.js';
export { UpgradeContext } from './transforms/opsetUpgrade/context.js';

// Top-level API: calibration data (.npy, raw float32, batching)
export {
  dtypeFromNpyDescr, encodeNpy, NPY_MAGIC, npyDescrOf, type NpyHeader, parseNpy, parseNpyHeader,
  type ParseNpyOptions
} from './data/npy.js';
export { parseRawFloat32 } from './data/raw.js';
export {
  type Batches, type BatchOptions, batchSamples, concatRows, DEFAULT_CALIB_BATCH_SIZE, sliceRows
} from './data/batching.js';
export { batchInputs, type InputBatches, type InputSamples, sharedSampleCount } from './data/batchInputs.js';
export {
  type BatchBudgetOptions, type BatchSizeChoice, chooseBatchSize, DEFAULT_BATCH_MEMORY_BYTES,
  MAX_AUTO_BATCH_SIZE
} from './data/batchBudget.js';

// Top-level API: errors
export { isQtkError, QtkError, type QtkErrorCode, type QtkErrorWhere } from './errors/QtkError.js';

// Building blocks: quantization specs
export { type Granularity, type ObserverConfig, PER_TENSOR, quantSpec, type QuantSpec } from './spec/quantSpec.js';

// Building blocks: observers (pure state machines: update, merge, calcQParams, toJSON)
export {
  type ObservedQParams, type ObservedRange, type Observer, type ObserverPlugin, type ReducedBatch
} from './observers/observer.js';
export { BUILTIN_OBSERVERS, createObserver, observerFromJSON } from './observers/create.js';
export { channelMinMax, MinMaxObserver, minMaxObserverPlugin } from './observers/minmax.js';
export { MeanMinMaxObserver, meanMinMaxObserverPlugin } from './observers/meanMinMax.js';
export {
  HISTOGRAM_DEFAULTS, HistogramObserver, histogramObserverPlugin, histogramSettings, type HistogramSettings
} from './observers/histogramObserver.js';
export { FixedWidthHistogram, type HistogramView } from './observers/fixedWidthHistogram.js';
export { type GivenRange } from './observers/givenRange.js';
export { type ObserverCountsState, RangeObserverBase } from './observers/rangeObserverBase.js';
export { rangeQParams } from './observers/rangeQParams.js';

// Building blocks: quantization math
export { type QParams } from './quant/tensorQParams.js';
export { computeQParams, type QParamsOptions, quantRange } from './quant/qparams.js';
export { type QLayout } from './quant/layout.js';
export { dequantizeTensor, dynamicQuantizeLinear, fakeQuantize, quantizeTensor } from './quant/quantize.js';
export { roundHalfToEven, saturate } from './quant/round.js';
export { encodeFloat8e4m3fn, FLOAT8E4M3FN_MAX, FLOAT8E4M3FN_NAN, isFloat8QuantType } from './quant/float8.js';
export { float8QParams } from './quant/float8QParams.js';
export { packInt4, unpackInt4 } from './quant/int4.js';
export { type Codebook, kmeans1d, type KMeansOptions, nearestEntry } from './quant/kmeans.js';
export { type Log2Codes, log2Levels, log2Quantize } from './quant/log2.js';
export { seededRandom } from './quant/random.js';

// Building blocks: annotation and conversion steps of the pipeline
export { type AnnotateConfig, annotateGraph } from './annotate/annotate.js';
export { type AnnotateContext, type Annotation, type OpHandler, type TensorRole, type WeightMarkOptions } from './annotate/annotation.js';
export { convertToQdq, writeQdq, weightQParams } from './convert/qdq.js';
export { convertDynamic, DYNAMIC_OP_TYPES, type DynamicOptions, type DynamicWriter } from './convert/dynamic.js';
export { convertWeightOnly, WEIGHT_ONLY_OP_TYPES } from './convert/weightOnly/index.js';
export { type WeightOnlyOptions, type WeightOnlyResult, type WeightOnlyType } from './convert/weightOnly/types.js';
export {
  type PackedWeight, type WeightOnlyWriteContext, type WeightOnlyWriter, type WeightSite
} from './convert/weightOnly/writer.js';

// Building blocks: the plan (tensor -> qparams, pure) and the writers that turn it into a model
export { planQuantization } from './plan/planQuantization.js';
export { type FloatTensor, type PlannedTensor, type QuantPlan } from './plan/quantPlan.js';
export { type QdqDialect } from './convert/qdqDialect.js';
export { STANDARD_QDQ_DIALECT } from './convert/standardQdqDialect.js';
export { type FormatWriter, type QuantWriters } from './convert/writers.js';
export { type ConvertedNode, type FormatResult, type KeptNode } from './convert/formatResult.js';

// Building blocks: op contracts (weights, bias, channel and reduction axes, role of each op type)
export {
  type BiasInput, type OpContract, type OpRole, type WeightAxis, type WeightInput, OP_CONTRACTS, OP_CONTRACT_LIST,
  opContract, biasInputIndex, biasName, channelGroups, linearFormProblem, resolveWeight, weightInputIndex,
  weightName, type ResolvedWeight
} from './opContracts/index.js';

// Building blocks: node scopes (op types, names, regexes, subgraphs)
export {
  type NodeScope, type SubgraphScope, type ScopeEntry, type UnmatchedEntry, type ScopeMatcher, matchScope
} from './scope/nodeScope.js';

// Building blocks: backend plugins (placement policy, defaults, graph preparation, writers, validation)
export {
  type BackendDefaults, type BackendPlugin, type BackendProblem, type BackendQuantizeResult, type GraphPreparation,
  type PlacementPolicy, type PrepareContext
} from './backend/backend.js';
export {
  type BackendFileValue, type BackendOptionField, type BackendOptionInput, type BackendOptionResult, type BackendOptionSpec,
  type BackendOptionType, type BackendOptionValue
} from './backend/optionSpec.js';
export { policyFromHandlers } from './backend/handlerPolicy.js';
export { type BackendRef, backendDefaults, checkBackend, checkBackendResult, resolveBackend } from './backend/resolveBackend.js';
export {
  constantOf, markFloatInput, nonFloatReason, shareOutputs, unquantizedInputReason
} from './annotate/markHelpers.js';

// Building blocks: plugin registry
export {
  createRegistry, defaultRegistry, type Plugin, PLUGIN_API_VERSION, type PluginKind, Registry, type WarnFn
} from './registry/registry.js';

// Building blocks: executor interface (what a runtime package implements)
export { type Executor, type ExecutorPlugin, type ExecutorSession, type SessionOptions } from './exec/executor.js';
export { withExtraOutputs } from './exec/extraOutputs.js';
export {
  REDUCTION_MIN_OPSET, type ReductionNames, type ReductionRequest, sampleStride, withReductionOutputs
} from './exec/reductionOutputs.js';

// Building blocks: graph transforms and shape inference
export { cloneGraph, cloneModel } from './transforms/clone.js';
export { foldConstants, type FoldConstantsOptions } from './transforms/foldConstants.js';
export { foldBatchNorm } from './transforms/foldBatchNorm.js';
export { foldConvAffine } from './transforms/foldConvAffine.js';
export { fuseHardSwish } from './transforms/fuseHardSwish.js';
export { removeDeadNodes } from './transforms/removeDeadNodes.js';
export { removeIdentity } from './transforms/removeIdentity.js';
export { removeUnusedInitializers } from './transforms/removeUnusedInitializers.js';
export { constantsToInitializers } from './transforms/constantsToInitializers.js';
export {
  type InferredTypes, inferShapes, type InferShapesOptions, type InferShapesResult, inferTypes
} from './shape/infer.js';
export { type RuleContext, type ShapeRule, type TensorInfo, type UnknownShape } from './shape/types.js';

// IR: tensors and data types
export { sizeOf, Tensor } from './ir/tensor.js';
export { type TensorValues } from './ir/tensorValues.js';
export {
  allocData, bitsOf, byteLengthOf, bytesOf, dataFromBytes, type DType, dtypeFromOnnx, intRange,
  isIntegerDType, onnxCode, type TensorData
} from './ir/dtype.js';
export {
  bfloat16ToFloat32, float16ToFloat32, float32Bits, float32FromBits, float32ToBfloat16, float32ToFloat16,
  float32ToFloat8e4m3fn, float8e4m3fnToFloat32
} from './ir/floatBits.js';
export { checkTensorBytes, DEFAULT_MAX_TENSOR_BYTES, resolveMaxTensorBytes } from './ir/memoryBudget.js';

// IR: graphs and models
export {
  attrFloat, type Attribute, type AttributeValue, attrInt, attrInts, attrString, createGraph, createModel,
  type Dim, getAttr, type Graph, type Model, type Node, setAttr, subgraphsOf, type ValueInfo, type ValueType
} from './ir/graph.js';
export { GraphIndex, topologicalSort } from './ir/graphIndex.js';
