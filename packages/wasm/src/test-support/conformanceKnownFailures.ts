/**
 * ONNX backend node cases (fixtures/onnx-backend-node) the engine refuses today, as typed
 * data: a case by name, or an op (every case whose graph holds a node of that op type),
 * with the reason. conformance.test.ts requires every case not listed here to match the
 * reference outputs and every listed case to be still refused with a typed error, so an
 * op or type the engine learns fails that test until its entry is removed.
 */
import type { FailureReason } from '@qtk/core/testing';

/** One refused case, or every case of one op, and why. */
export type ConformanceKnownFailure =
  | { readonly case: string; readonly reason: FailureReason }
  | { readonly op: string; readonly reason: FailureReason };

/** The cases the engine refuses, ordered by case or op name. */
export const CONFORMANCE_KNOWN_FAILURES: readonly ConformanceKnownFailure[] = [
  { case: 'test_averagepool_3d_default', reason: { kind: 'unsupported-form', op: 'AveragePool', note: '3-D spatial input' } },
  { case: 'test_cast_BFLOAT16_to_FLOAT', reason: { kind: 'unsupported-dtype', op: 'Cast', dtype: 'bfloat16' } },
  { case: 'test_cast_DOUBLE_to_FLOAT', reason: { kind: 'unsupported-dtype', op: 'Cast', dtype: 'float64' } },
  { case: 'test_cast_DOUBLE_to_FLOAT16', reason: { kind: 'unsupported-dtype', op: 'Cast', dtype: 'float64' } },
  { case: 'test_cast_FLOAT16_to_DOUBLE', reason: { kind: 'unsupported-dtype', op: 'Cast', dtype: 'float16' } },
  { case: 'test_cast_FLOAT16_to_FLOAT', reason: { kind: 'unsupported-dtype', op: 'Cast', dtype: 'float16' } },
  { case: 'test_cast_FLOAT_to_BFLOAT16', reason: { kind: 'unsupported-dtype', op: 'Cast', dtype: 'bfloat16' } },
  { case: 'test_cast_FLOAT_to_DOUBLE', reason: { kind: 'unsupported-dtype', op: 'Cast', dtype: 'float64' } },
  { case: 'test_cast_FLOAT_to_FLOAT16', reason: { kind: 'unsupported-dtype', op: 'Cast', dtype: 'float16' } },
  { case: 'test_cast_FLOAT_to_STRING', reason: { kind: 'unsupported-dtype', op: 'Cast', dtype: 'string' } },
  { case: 'test_cast_STRING_to_FLOAT', reason: { kind: 'unsupported-dtype', op: 'Cast', dtype: 'string' } },
  { case: 'test_castlike_BFLOAT16_to_FLOAT_expanded', reason: { kind: 'unsupported-dtype', op: 'Cast', dtype: 'bfloat16' } },
  { case: 'test_castlike_DOUBLE_to_FLOAT16_expanded', reason: { kind: 'unsupported-dtype', op: 'Cast', dtype: 'float64' } },
  { case: 'test_castlike_DOUBLE_to_FLOAT_expanded', reason: { kind: 'unsupported-dtype', op: 'Cast', dtype: 'float64' } },
  { case: 'test_castlike_FLOAT16_to_DOUBLE_expanded', reason: { kind: 'unsupported-dtype', op: 'Cast', dtype: 'float16' } },
  { case: 'test_castlike_FLOAT16_to_FLOAT_expanded', reason: { kind: 'unsupported-dtype', op: 'Cast', dtype: 'float16' } },
  { case: 'test_castlike_FLOAT_to_BFLOAT16_expanded', reason: { kind: 'unsupported-dtype', op: 'Cast', dtype: 'bfloat16' } },
  { case: 'test_castlike_FLOAT_to_DOUBLE_expanded', reason: { kind: 'unsupported-dtype', op: 'Cast', dtype: 'float64' } },
  { case: 'test_castlike_FLOAT_to_FLOAT16_expanded', reason: { kind: 'unsupported-dtype', op: 'Cast', dtype: 'float16' } },
  { case: 'test_castlike_FLOAT_to_STRING_expanded', reason: { kind: 'unsupported-dtype', op: 'Cast', dtype: 'string' } },
  { case: 'test_castlike_STRING_to_FLOAT_expanded', reason: { kind: 'unsupported-dtype', op: 'Cast', dtype: 'string' } },
  { case: 'test_castlike_BFLOAT16_to_FLOAT', reason: { kind: 'unsupported-dtype', op: 'CastLike', dtype: 'bfloat16' } },
  { case: 'test_castlike_DOUBLE_to_FLOAT', reason: { kind: 'unsupported-dtype', op: 'CastLike', dtype: 'float64' } },
  { case: 'test_castlike_DOUBLE_to_FLOAT16', reason: { kind: 'unsupported-dtype', op: 'CastLike', dtype: 'float64' } },
  { case: 'test_castlike_FLOAT16_to_DOUBLE', reason: { kind: 'unsupported-dtype', op: 'CastLike', dtype: 'float16' } },
  { case: 'test_castlike_FLOAT16_to_FLOAT', reason: { kind: 'unsupported-dtype', op: 'CastLike', dtype: 'float16' } },
  { case: 'test_castlike_FLOAT_to_BFLOAT16', reason: { kind: 'unsupported-dtype', op: 'CastLike', dtype: 'bfloat16' } },
  { case: 'test_castlike_FLOAT_to_DOUBLE', reason: { kind: 'unsupported-dtype', op: 'CastLike', dtype: 'float64' } },
  { case: 'test_castlike_FLOAT_to_FLOAT16', reason: { kind: 'unsupported-dtype', op: 'CastLike', dtype: 'float16' } },
  { case: 'test_castlike_FLOAT_to_STRING', reason: { kind: 'unsupported-dtype', op: 'CastLike', dtype: 'string' } },
  { case: 'test_castlike_STRING_to_FLOAT', reason: { kind: 'unsupported-dtype', op: 'CastLike', dtype: 'string' } },
  { case: 'test_convtranspose_3d', reason: { kind: 'unsupported-form', op: 'ConvTranspose', note: '3-D spatial input' } },
  { op: 'Einsum', reason: { kind: 'missing-op', op: 'Einsum' } },
  { op: 'GlobalAveragePool', reason: { kind: 'opset', op: 'GlobalAveragePool', opset: 1, minimum: 7 } },
  { op: 'GlobalMaxPool', reason: { kind: 'opset', op: 'GlobalMaxPool', opset: 1, minimum: 7 } },
  { case: 'test_hardsigmoid', reason: { kind: 'opset', op: 'HardSigmoid', opset: 6, minimum: 7 } },
  { case: 'test_hardsigmoid_default', reason: { kind: 'opset', op: 'HardSigmoid', opset: 6, minimum: 7 } },
  { case: 'test_hardsigmoid_example', reason: { kind: 'opset', op: 'HardSigmoid', opset: 6, minimum: 7 } },
  { case: 'test_identity_opt', reason: { kind: 'unsupported-form', op: 'Identity', note: 'optional or sequence value' } },
  { case: 'test_identity_sequence', reason: { kind: 'unsupported-form', op: 'Identity', note: 'optional or sequence value' } },
  { op: 'InstanceNormalization', reason: { kind: 'opset', op: 'InstanceNormalization', opset: 6, minimum: 7 } },
  { case: 'test_max_float16', reason: { kind: 'unsupported-dtype', op: 'Max', dtype: 'float16' } },
  { case: 'test_max_float64', reason: { kind: 'unsupported-dtype', op: 'Max', dtype: 'float64' } },
  { case: 'test_max_int16', reason: { kind: 'unsupported-dtype', op: 'Max', dtype: 'int16' } },
  { case: 'test_max_uint16', reason: { kind: 'unsupported-dtype', op: 'Max', dtype: 'uint16' } },
  { case: 'test_max_uint32', reason: { kind: 'unsupported-dtype', op: 'Max', dtype: 'uint32' } },
  { case: 'test_max_uint64', reason: { kind: 'unsupported-dtype', op: 'Max', dtype: 'uint64' } },
  { case: 'test_maxpool_3d_default', reason: { kind: 'unsupported-form', op: 'MaxPool', note: '3-D spatial input' } },
  { op: 'MaxUnpool', reason: { kind: 'missing-op', op: 'MaxUnpool' } },
  { case: 'test_min_float16', reason: { kind: 'unsupported-dtype', op: 'Min', dtype: 'float16' } },
  { case: 'test_min_float64', reason: { kind: 'unsupported-dtype', op: 'Min', dtype: 'float64' } },
  { case: 'test_min_int16', reason: { kind: 'unsupported-dtype', op: 'Min', dtype: 'int16' } },
  { case: 'test_min_uint16', reason: { kind: 'unsupported-dtype', op: 'Min', dtype: 'uint16' } },
  { case: 'test_min_uint32', reason: { kind: 'unsupported-dtype', op: 'Min', dtype: 'uint32' } },
  { case: 'test_min_uint64', reason: { kind: 'unsupported-dtype', op: 'Min', dtype: 'uint64' } },
  { case: 'test_pow_types_float32_uint32', reason: { kind: 'unsupported-dtype', op: 'Pow', dtype: 'uint32' } },
  { case: 'test_pow_types_float32_uint64', reason: { kind: 'unsupported-dtype', op: 'Pow', dtype: 'uint64' } },
];
