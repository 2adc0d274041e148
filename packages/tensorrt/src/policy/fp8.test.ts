/**
 * TensorRT FP8 placement on rule models: Conv (within the FP8 kernel limits), Gemm/MatMul and
 * residual-Add skip branches get float8e4m3fn Q/DQ, pooling stays float, and onnxruntime runs
 * the result close to the float model.
 */
import { describe, expect, it } from 'vitest';
import { basicBlock, convReluMaxPool, mlp } from '../test-support/ruleModels.js';
import { outputSqnrDb, quantizeForTrt } from '../test-support/quantizeForTrt.js';
import { dequantizedInputs, nodeNamed, weightDequant } from '../test-support/qdqGraph.js';
import { TENSORRT_FP8_OPTIONS } from '../fp8Options.js';
import { fp8ConvReason } from './fp8.js';

describe('fp8ConvReason (Model Optimizer\'s FP8 Conv limits)', () => {
  it.each([
    [[64, 64, 3, 3], undefined],
    [[32, 16, 3, 3], undefined],
    [[64, 3, 7, 7], 'at least 16'],
    [[8, 32, 3, 3], 'at least 16'],
    [[24, 16, 3, 3], 'modulo 16'],
    [[64, 64, 7, 7], '49 taps'],
    [[64, 1, 3, 3], 'at least 16'],
  ] as const)('weight %j → %s', (dims, part) => {
    const r = fp8ConvReason(dims);
    if (part === undefined) expect(r).toBeUndefined();
    else expect(r).toContain(part);
  });
});

describe('TensorRT FP8 placement', () => {
  it('Conv → Relu → MaxPool → Conv: float8 Q/DQ on both Convs (weights per output channel), none on MaxPool, 25 dB+ on onnxruntime', async () => {
    const rm = convReluMaxPool();
    const { model, report } = await quantizeForTrt(rm.model, rm.calibration, TENSORRT_FP8_OPTIONS);
    expect(report.options).toMatchObject({ method: 'minmax', symmetricActivations: true });
    expect(model.opsetImports.get('')).toBe(19);
    for (const name of ['/conv1/Conv', '/conv2/Conv']) {
      const conv = nodeNamed(model, name);
      expect(dequantizedInputs(model, conv).slice(0, 2)).toEqual([true, true]);
      const w = weightDequant(model, conv, 1);
      expect([w.values.dtype, w.axis, w.scale.size]).toEqual(['float8e4m3fn', 0, 32]);
    }
    expect(dequantizedInputs(model, nodeNamed(model, '/maxpool/MaxPool'))).toEqual([false]);
    expect(report.float.find((f) => f.name === '/maxpool/MaxPool')?.reason).toContain('FP8');
    expect(await outputSqnrDb(rm.model, model, rm.probe)).toBeGreaterThan(25);
  });

  it('the same model in INT8 keeps the INT8 placement (the MaxPool input quantized)', async () => {
    const rm = convReluMaxPool();
    const { model } = await quantizeForTrt(rm.model, rm.calibration);
    expect(dequantizedInputs(model, nodeNamed(model, '/maxpool/MaxPool'))).toEqual([true]);
    expect(weightDequant(model, nodeNamed(model, '/conv1/Conv'), 1).values.dtype).toBe('int8');
  });

  it('BasicBlock: the 3-channel stem Conv stays float with the FP8 reason, the block Convs and the residual skip branch are float8', async () => {
    const rm = basicBlock({ downsample: false, foldBn: true });
    const { model, report } = await quantizeForTrt(rm.model, rm.calibration, TENSORRT_FP8_OPTIONS);
    expect(report.float.find((f) => f.name === '/stem/Conv')?.reason).toContain('at least 16');
    for (const name of ['/block/conv1/Conv', '/block/conv2/Conv']) expect(weightDequant(model, nodeNamed(model, name), 1).values.dtype).toBe('float8e4m3fn');
    expect(dequantizedInputs(model, nodeNamed(model, '/block/Add'))).toEqual([false, true]);
    expect(await outputSqnrDb(rm.model, model, rm.probe)).toBeGreaterThan(25);
  });

  it('MLP: MatMul inputs and weights in float8, the bias Adds float', async () => {
    const rm = mlp();
    const { model, report } = await quantizeForTrt(rm.model, rm.calibration, TENSORRT_FP8_OPTIONS);
    const matmuls = model.graph.nodes.filter((n) => n.opType === 'MatMul');
    expect(matmuls.length).toBe(3);
    for (const m of matmuls) {
      expect(dequantizedInputs(model, m)).toEqual([true, true]);
      expect(weightDequant(model, m, 1).values.dtype).toBe('float8e4m3fn');
    }
    expect(report.quantized.filter((n) => n.opType === 'Add')).toEqual([]);
    expect(await outputSqnrDb(rm.model, model, rm.probe)).toBeGreaterThan(25);
  });

  it('FP8 activations with INT8 weights quantize nothing, each node float with the reason', async () => {
    const rm = convReluMaxPool();
    const { report } = await quantizeForTrt(rm.model, rm.calibration, { activationType: 'float8e4m3fn', weightType: 'int8' });
    expect(report.quantized).toEqual([]);
    expect(report.float.find((f) => f.name === '/conv1/Conv')?.reason).toContain('FP8 activations and FP8 weights together');
  });
});
