/**
 * NNCF's hardware configurations at 8 bits: which operations of the target device take
 * quantized activations, which take quantized weights, and which the configuration lists
 * without quantization (they run on whatever precision their input has). The facts follow
 * NNCF's setups (`nncf/common/hardware/setups/{cpu,gpu,npu}.py`, formerly `cpu.json`).
 */
import type { TargetDevice } from '../options.js';

/** NNCF's names of the operations a hardware configuration describes (`HWOpName`). */
export type HwOp =
  | 'ADD' | 'AVG_POOL' | 'BROADCAST' | 'CONCAT' | 'CONVERT_LIKE' | 'CONVOLUTION' | 'CROP' | 'DEPTHWISE_CONVOLUTION'
  | 'DIVIDE' | 'EMBEDDING' | 'EMBEDDING_BAG' | 'EQUAL' | 'FLATTEN' | 'FLOOR_MOD' | 'GREATER' | 'GREATER_EQUAL'
  | 'GROUP_NORMALIZATION' | 'GRU_SEQUENCE' | 'INTERPOLATE' | 'LESS' | 'LESS_EQUAL' | 'LOGICAL_AND' | 'LOGICAL_NOT'
  | 'LOGICAL_OR' | 'LOGICAL_XOR' | 'LSTM_SEQUENCE' | 'MAT_MUL' | 'MAXIMUM' | 'MAX_POOL' | 'MINIMUM' | 'MULTIPLY'
  | 'MVN' | 'NORMALIZE_L2' | 'NOT_EQUAL' | 'PAD' | 'POWER' | 'REDUCE_L2' | 'REDUCE_MAX' | 'REDUCE_MEAN' | 'REDUCE_SUM'
  | 'RESHAPE' | 'SCALED_DOT_PRODUCT_ATTENTION' | 'SHUFFLE_CHANNELS' | 'SLICE' | 'SPLIT' | 'SQUEEZE' | 'STRIDED_SLICE'
  | 'SUBTRACT' | 'TILE' | 'TRANSPOSE' | 'UNSQUEEZE' | 'VARIADIC_SPLIT';

/** One device's hardware configuration at 8 bits. */
export interface HardwareConfig {
  /** The device it describes. */
  readonly device: TargetDevice;
  /** Operations whose activation inputs are quantized (8-bit activation spaces). */
  readonly activations: ReadonlySet<HwOp>;
  /** Operations whose weights are quantized (symmetric narrow-range int8 per channel first). */
  readonly weights: ReadonlySet<HwOp>;
  /** Every operation the configuration lists, with or without quantization. */
  readonly listed: ReadonlySet<HwOp>;
}

/** Operations NNCF's CPU setup gives 8-bit activation spaces (q8_a, q8_a_ch, q8_a_sym). */
const CPU_ACTIVATIONS: readonly HwOp[] = [
  'CONVOLUTION', 'DEPTHWISE_CONVOLUTION', 'MAT_MUL', 'ADD', 'MULTIPLY', 'MAXIMUM', 'LESS', 'LESS_EQUAL', 'GREATER',
  'GREATER_EQUAL', 'DIVIDE', 'MINIMUM', 'EQUAL', 'SUBTRACT', 'NOT_EQUAL', 'FLOOR_MOD', 'LOGICAL_OR', 'LOGICAL_XOR',
  'LOGICAL_AND', 'LOGICAL_NOT', 'POWER', 'AVG_POOL', 'NORMALIZE_L2', 'REDUCE_L2', 'REDUCE_MEAN', 'INTERPOLATE', 'MVN',
  'LSTM_SEQUENCE', 'GRU_SEQUENCE', 'REDUCE_SUM', 'GROUP_NORMALIZATION', 'SCALED_DOT_PRODUCT_ATTENTION',
];

/** Operations NNCF's CPU setup gives weight spaces (q8_w_sym, q8_w_asym). */
const CPU_WEIGHTS: readonly HwOp[] = [
  'CONVOLUTION', 'DEPTHWISE_CONVOLUTION', 'MAT_MUL', 'ADD', 'MULTIPLY', 'MAXIMUM', 'LESS', 'LESS_EQUAL', 'GREATER',
  'GREATER_EQUAL', 'DIVIDE', 'MINIMUM', 'EQUAL', 'SUBTRACT', 'NOT_EQUAL', 'FLOOR_MOD', 'LOGICAL_OR', 'LOGICAL_XOR',
  'LOGICAL_AND', 'LOGICAL_NOT', 'LSTM_SEQUENCE', 'GRU_SEQUENCE', 'EMBEDDING',
];

/** Operations NNCF's CPU setup lists without any quantization space (CONCAT only unifies scales). */
const CPU_UNQUANTIZED: readonly HwOp[] = [
  'CONCAT', 'MAX_POOL', 'REDUCE_MAX', 'RESHAPE', 'FLATTEN', 'SQUEEZE', 'UNSQUEEZE', 'SPLIT', 'VARIADIC_SPLIT', 'CROP',
  'TRANSPOSE', 'TILE', 'STRIDED_SLICE', 'SLICE', 'SHUFFLE_CHANNELS', 'BROADCAST', 'PAD', 'CONVERT_LIKE', 'EMBEDDING_BAG',
];

function config(device: TargetDevice, weights: readonly HwOp[] = CPU_WEIGHTS): HardwareConfig {
  return {
    device,
    activations: new Set(CPU_ACTIVATIONS),
    weights: new Set(weights),
    listed: new Set([...CPU_ACTIVATIONS, ...weights, ...CPU_UNQUANTIZED]),
  };
}

/**
 * The hardware configuration of each target device. ANY and CPU use NNCF's CPU setup.
 * NNCF's GPU and NPU setups give 8-bit activation spaces to the same operations as CPU
 * (they differ in 4-bit and per-channel options that 8-bit placement does not read); NPU
 * also quantizes EMBEDDING_BAG weights.
 */
export const HARDWARE_CONFIGS: Readonly<Record<TargetDevice, HardwareConfig>> = {
  ANY: config('ANY'),
  CPU: config('CPU'),
  GPU: config('GPU'),
  NPU: config('NPU', [...CPU_WEIGHTS, 'EMBEDDING_BAG']),
};
