/** Attribute schemas of matrix products, normalizations and (de)quantization in the default domain. */
import { flag, float, int, ints, type SchemaTable } from './types.js';

/** Gemm, MatMul and their integer forms. */
export const MATMUL_SCHEMAS: SchemaTable = {
  Gemm: { attrs: { alpha: float(), beta: float(), transA: flag(), transB: flag(), broadcast: flag() } },
  MatMul: { attrs: {} },
  MatMulInteger: { attrs: {} },
  QLinearMatMul: { attrs: {} },
};

/** Normalizations. */
export const NORMALIZATION_SCHEMAS: SchemaTable = {
  BatchNormalization: {
    attrs: { epsilon: float({ min: 0 }), momentum: float(), spatial: flag(), is_test: flag(), training_mode: flag(), consumed_inputs: ints() },
  },
  InstanceNormalization: { attrs: { epsilon: float({ min: 0 }), consumed_inputs: ints() } },
  LayerNormalization: { attrs: { axis: int({ axis: { input: 0 } }), epsilon: float({ min: 0 }), stash_type: int() } },
  LRN: { attrs: { alpha: float(), beta: float(), bias: float(), size: int({ min: 1 }) }, rules: [{ rule: 'required', attrs: ['size'] }] },
};

/** Quantize and dequantize. */
export const QUANTIZE_SCHEMAS: SchemaTable = {
  QuantizeLinear: { attrs: { axis: int({ axis: { input: 0 } }), saturate: flag(), block_size: int({ min: 0 }), output_dtype: int({ min: 0 }), precision: int({ min: 0 }) } },
  DequantizeLinear: { attrs: { axis: int({ axis: { input: 0 } }), block_size: int({ min: 0 }), output_dtype: int({ min: 0 }) } },
  DynamicQuantizeLinear: { attrs: {} },
};
