/** Attribute schemas of elementwise ops: unary math, activations, binary and variadic ops. */
import { float, int, ints, str, type OpSchema, type SchemaTable } from './types.js';

const none: OpSchema = { attrs: {} };
/** Opsets before 6 let these ops take `consumed_inputs`. */
const legacy: OpSchema = { attrs: { consumed_inputs: ints() } };
/** Binary ops before opset 7 broadcast on request, along `axis`. */
const legacyBinary: OpSchema = { attrs: { broadcast: int({ oneOf: [0, 1] }), axis: int(), consumed_inputs: ints() } };

/** Unary math and activations. */
export const UNARY_SCHEMAS: SchemaTable = {
  Abs: legacy, Ceil: legacy, Exp: legacy, Floor: legacy, Log: legacy, Neg: legacy, Reciprocal: legacy,
  Relu: legacy, Sigmoid: legacy, Sqrt: legacy, Tanh: legacy,
  Cos: none, Sin: none, Erf: none, Not: none, Round: none, Sign: none, Softplus: none, HardSwish: none, Identity: none,
  Elu: { attrs: { alpha: float(), consumed_inputs: ints() } },
  LeakyRelu: { attrs: { alpha: float(), consumed_inputs: ints() } },
  HardSigmoid: { attrs: { alpha: float(), beta: float(), consumed_inputs: ints() } },
  Selu: { attrs: { alpha: float(), gamma: float(), consumed_inputs: ints() } },
  Gelu: { attrs: { approximate: str(['none', 'tanh']) } },
  Clip: { attrs: { min: float(), max: float(), consumed_inputs: ints() } },
  Softmax: { attrs: { axis: int({ axis: { input: 0 } }) } },
  LogSoftmax: { attrs: { axis: int({ axis: { input: 0 } }) } },
};

/** Binary, comparison and variadic ops. */
export const BINARY_SCHEMAS: SchemaTable = {
  Add: legacyBinary, Sub: legacyBinary, Mul: legacyBinary, Div: legacyBinary, Pow: legacyBinary,
  Equal: legacyBinary, Greater: legacyBinary, Less: legacyBinary,
  GreaterOrEqual: none, LessOrEqual: none, Where: none,
  PRelu: legacy, Max: legacy, Min: legacy, Sum: legacy, Mean: legacy,
};
