/**
 * Tests of the shared suites (`describeBackend` with the onnxruntime backend) the engine fails today, by
 * test path, with the reason. Each runs and must still fail: when the engine learns the
 * op, the test passes, `it.fails` reports it, and its entry goes.
 */
import type { KnownFailure } from '@qtk/core/testing';

/** Known failures of @qtk/wasm in the pipeline suites. */
export const PIPELINE_KNOWN_FAILURES: readonly KnownFailure[] = [
  { test: 'quantize > edge cases of static quantization > gives an all-zero activation a valid scale and reports it as zero-range', reason: { kind: 'missing-op', op: 'Softsign' } },
  { test: 'quantize > edge cases of static quantization > skips and counts NaN and Inf in calibration data', reason: { kind: 'missing-op', op: 'Softsign' } },
  { test: 'quantize > edge cases of static quantization > leaves an op without a quantization rule in float and names it in the report', reason: { kind: 'missing-op', op: 'Softsign' } },
  { test: 'methods > calibration methods on the digits CNN > mode \'weight-only\' through quantizeModel writes MatMulNBits for the Gemm layers and keeps accuracy within 0.01', reason: { kind: 'runtime-dialect', op: 'MatMulNBits', domain: 'com.microsoft' } },
  { test: 'phases > static quantization of a model with nothing to quantize', reason: { kind: 'missing-op', op: 'Softsign' } },
  { test: 'subgraphs > silero VAD v5: weights inside If branches', reason: { kind: 'missing-op', op: 'If' } },
  { test: 'subgraphs > silero VAD legacy: weights inside If branches', reason: { kind: 'missing-op', op: 'If' } },
  { test: 'ortWeightFormats > MatMulNBits from convertWeightOnly > int4 symmetric: equals a float MatMul of the dequantized weight within 1e-4 relative', reason: { kind: 'runtime-dialect', op: 'MatMulNBits', domain: 'com.microsoft' } },
  { test: 'ortWeightFormats > MatMulNBits from convertWeightOnly > uint4 asymmetric: equals a float MatMul of the dequantized weight within 1e-4 relative', reason: { kind: 'runtime-dialect', op: 'MatMulNBits', domain: 'com.microsoft' } },
  { test: 'ortWeightFormats > MatMulNBits from convertWeightOnly > int8 symmetric: equals a float MatMul of the dequantized weight within 1e-4 relative', reason: { kind: 'runtime-dialect', op: 'MatMulNBits', domain: 'com.microsoft' } },
  { test: 'ortWeightFormats > MatMulNBits from convertWeightOnly > uint8 asymmetric: equals a float MatMul of the dequantized weight within 1e-4 relative', reason: { kind: 'runtime-dialect', op: 'MatMulNBits', domain: 'com.microsoft' } },
  { test: 'ortWeightFormats > MatMulNBits from convertWeightOnly > runs a Gemm with transB and bias as MatMulNBits with the bias input', reason: { kind: 'runtime-dialect', op: 'MatMulNBits', domain: 'com.microsoft' } },
  { test: 'ortWeightFormats > GatherBlockQuantized from convertWeightOnly', reason: { kind: 'runtime-dialect', op: 'GatherBlockQuantized', domain: 'com.microsoft' } },
  { test: 'weightFormats > blocked DequantizeLinear (target \'standard\', opset 21) > raises opset 17 to 21 and equals a float MatMul of the dequantized weight within 1e-4 relative', reason: { kind: 'unsupported-dtype', op: 'DequantizeLinear', dtype: 'uint4' } },
  { test: 'weightFormats > QDQ with 16-bit and 4-bit types > int16 activations with int4 per-block weights (opset raised to 21) equal the fake-quantized reference within 1e-4', reason: { kind: 'unsupported-dtype', op: 'DequantizeLinear', dtype: 'int4' } },
  { test: 'ortWeightFormats > QDQ with 16-bit and 4-bit types in com.microsoft > int16 activations and weights on the digits CNN: com.microsoft Q/DQ at opset 17, accuracy ≥ 0.99 (optimizations off)', reason: { kind: 'runtime-dialect', op: 'DequantizeLinear', domain: 'com.microsoft' } },
  { test: 'weightFormats > QDQ with 16-bit and 4-bit types > int16 activations with int8 weights (A16W8) on the digits CNN keep accuracy ≥ 0.99 in an optimized session', reason: { kind: 'runtime-dialect', op: 'QuantizeLinear', domain: 'com.microsoft' } },
  { test: 'ortWeightFormats > QDQ with 16-bit and 4-bit types in com.microsoft > uint8 activations with int4 per-channel weights (com.microsoft DQ at opset 17) on the digits CNN keep accuracy ≥ 0.99', reason: { kind: 'runtime-dialect', op: 'DequantizeLinear', domain: 'com.microsoft' } },
  { test: 'weightFormats > non-uniform weights expanded with standard ops > codebook 16 (two codes per byte): the expanded weight equals the encoded values exactly', reason: { kind: 'missing-op', op: 'Mod' } },
  { test: 'weightFormats > non-uniform weights expanded with standard ops > log2 4-bit: the expanded weight equals the encoded values exactly', reason: { kind: 'missing-op', op: 'Mod' } },
  { test: 'weightFormats > weight-only formats on the digits CNN > codebook 16, log2 4- and 8-bit and uniform int4 (MatMulNBits + blocked DQ) keep accuracy ≥ 0.97 (FP32 0.996)', reason: { kind: 'missing-op', op: 'Mod' } },
  { test: 'qoperator > QOperator form of an opset-11 model with com.microsoft Q/DQ > runs and matches the QDQ model within two output steps', reason: { kind: 'runtime-dialect', op: 'QuantizeLinear', domain: 'com.microsoft' } },
  { test: 'reductions > reductions inside the model > outputs exact extremes and every stride-th element from phase mod stride', reason: { kind: 'missing-op', op: 'Mod' } },
  { test: 'reductions > reductions inside the model > the sample of an element-wise node over sampled values of its shape is that node on their samples: the same numbers, no reader of the whole value', reason: { kind: 'missing-op', op: 'Mod' } },
  { test: 'reductions > reductions inside the model > sampled histograms see a fixed-position outlier through the moving start and stay close to counting every value', reason: { kind: 'missing-op', op: 'Mod', note: 'in-model sampling falls back to whole tensors' } },
  { test: 'reductions > reductions inside the model > the sampling budget counts per sample: batches of 8 sample as many values per sample as batches of 1, and give the same range within sampling noise', reason: { kind: 'missing-op', op: 'Mod', note: 'in-model sampling falls back to whole tensors' } },
  { test: 'ops > static QDQ quantization per op family > LayerNormalization and InstanceNormalization (with folded Relu) and Where are quantized, their scale/bias stay float; SQNR > 25 dB', reason: { kind: 'missing-op', op: 'InstanceNormalization' } },
  { test: 'ops > static QDQ quantization per op family > ArgMax, TopK and ReduceMin after a quantized Gemm run quantized; TopK values keep SQNR > 25 dB and ArgMax agrees on most rows', reason: { kind: 'missing-op', op: 'TopK' } },
];
