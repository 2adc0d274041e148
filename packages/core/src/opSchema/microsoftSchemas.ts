/** Attribute schemas of the com.microsoft quantized ops that qtk writes and @qtk/wasm runs. */
import { windowAttrs } from './convSchemas.js';
import { flag, float, int, type SchemaTable } from './types.js';

/** The contrib domain of onnxruntime. */
export const MS_DOMAIN = 'com.microsoft';

/** Quantized contrib ops, keyed `com.microsoft:OpType`. */
export const MICROSOFT_SCHEMAS: SchemaTable = {
  [`${MS_DOMAIN}:QGemm`]: { attrs: { alpha: float(), beta: float(), transA: flag(), transB: flag() } },
  [`${MS_DOMAIN}:QLinearAdd`]: { attrs: {} },
  [`${MS_DOMAIN}:QLinearMul`]: { attrs: {} },
  [`${MS_DOMAIN}:QLinearSigmoid`]: { attrs: {} },
  [`${MS_DOMAIN}:QLinearLeakyRelu`]: { attrs: { alpha: float() } },
  [`${MS_DOMAIN}:QLinearSoftmax`]: { attrs: { axis: int({ axis: { input: 0 } }), opset: int({ min: 1 }) } },
  [`${MS_DOMAIN}:QLinearAveragePool`]: {
    attrs: { ...windowAttrs, ceil_mode: flag(), count_include_pad: flag(), channels_last: flag() },
    rules: [{ rule: 'window', pool: true }],
  },
  [`${MS_DOMAIN}:QLinearGlobalAveragePool`]: { attrs: { channels_last: flag() } },
  [`${MS_DOMAIN}:QLinearConcat`]: { attrs: { axis: int() } },
};
