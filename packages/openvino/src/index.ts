/**
 * @qtk/openvino: NNCF-style quantization of ONNX models for OpenVINO (QDQ ONNX, the form
 * NNCF's ONNX backend writes and OpenVINO reads).
 */
export type { ModelType, Preset, TargetDevice } from './options.js';
export { openvinoBackend, default } from './backend.js';
export { presetDefaults, resolveOpenvinoOptions, type OpenvinoBackendOptions, type ResolvedOpenvinoOptions } from './policy/backendOptions.js';
export { openvinoPolicy, placementFor } from './policy/openvinoPolicy.js';
export { placeQuantizers, type ActivationQuantizer, type Placement, type PlacementConfig, type UnifiedScaleGroup, type WeightQuantizer } from './policy/quantizerPlacement.js';
export { findFusedUnits, inputPreprocessing, type FusedUnit } from './policy/fusedPatterns.js';
export { FlowGraph, type Port } from './policy/flowGraph.js';
export { transformerFloatNodes, TRANSFORMER_FLOAT_OPS } from './policy/transformerRules.js';
export { HARDWARE_CONFIGS, type HardwareConfig, type HwOp } from './hwConfig/hwOps.js';
export { defaultTrait, ELEMENTWISE_OPS, hwOpOf, isDepthwiseConv, isEmbedding, PLACEMENT_OP_TYPES, type QuantizationTrait } from './hwConfig/onnxOps.js';
export { hasQuantizedWeights, quantizationTrait } from './hwConfig/traits.js';
export { checkIgnoredScope, ignoredNodes, type IgnoredScope, type IgnoredSubgraph } from './ignoredScope/ignoredScope.js';
export { Dataset, type DatasetTransform } from './dataset.js';
export { DEFAULT_SUBSET_SIZE, type OpenVinoQuantizeContext, type OpenVinoQuantizeOptions, quantize } from './quantize.js';
export { COMPUTE_OP_TYPES, DEFAULT_RANKING_SUBSET_SIZE, quantizeWithAccuracyControl } from './accuracyControl/algorithm.js';
export type { AccuracyControlContext, AccuracyControlOptions, AccuracyControlReport, AccuracyProgress, AccuracyStep, DropType, RankedNode, RunModel, SearchStrategy, ValidateFn } from './accuracyControl/types.js';
export { applySmoothQuant, SMOOTH_QUANT_MATMUL_ALPHA, type SmoothQuantOptions, type SmoothQuantResult } from './smoothQuant/smoothQuant.js';
export { collectSmoothQuantStats, type SmoothQuantStats } from './smoothQuant/statistics.js';
export { smoothGroups, type SmoothGroup } from './smoothQuant/targets.js';
export { groupScales, quantile, scaleAndRatio, weightRowAbsMax } from './smoothQuant/scales.js';
export { smoothQuantFor } from './smoothQuant/smoothQuantStep.js';
export { OVERFLOW_FIX_MODES, overflowFixWeights, type OverflowFix } from './overflowFix/overflowFix.js';
export { overflowFixFor } from './overflowFix/scheme.js';
