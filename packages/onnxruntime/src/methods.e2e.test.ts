/** Every calibration method on the digits CNN: the test accuracy stays at FP32's 0.996. */
import { describe, expect, it } from 'vitest';
import { quantizeModel, type CalibrationMethod } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from './node.js';
import { DIGITS_MODEL, digitsRows, batchesOf, testAccuracy } from './test-support/digits.js';
import { onnxruntimeBackend } from './policy.js';

const METHODS: CalibrationMethod[] = ['minmax', 'moving-average', 'entropy', 'percentile', 'mse', 'mean-minmax'];

describe('calibration methods on the digits CNN', async () => {
  const model = await loadModelFile(DIGITS_MODEL);
  const calib = digitsRows(0, 256).x;
  const fp32 = await testAccuracy(model);

  it('FP32 accuracy on the 500 held-out digits is 0.996', () => {
    expect(fp32).toBeCloseTo(0.996, 3);
  });

  it.each(METHODS)('method %s keeps the INT8 test accuracy at FP32 (0.996)', async (method) => {
    const { model: q, report } = await quantizeModel(model, { method }, { backend: onnxruntimeBackend, executor: ortNode, calibration: batchesOf(calib, 32) });
    expect(report.options.method).toBe(method);
    expect(report.quantized.filter((n) => n.opType === 'Conv').length).toBe(3);
    expect(await testAccuracy(q)).toBeGreaterThanOrEqual(fp32 - 1e-9);
  });

  it('histogram methods pick narrower activation ranges than minmax on some tensor', async () => {
    const scales = async (method: CalibrationMethod) => {
      const { model: q } = await quantizeModel(model, { method }, { backend: onnxruntimeBackend, executor: ortNode, calibration: batchesOf(calib, 32) });
      const out = new Map<string, number>();
      for (const n of q.graph.nodes) if (n.opType === 'QuantizeLinear') out.set(n.inputs[0]!, q.graph.initializers.get(n.inputs[1]!)!.get(0));
      return out;
    };
    const mm = await scales('minmax');
    for (const method of ['entropy', 'percentile'] as const) {
      const other = await scales(method);
      const narrower = [...other].filter(([v, s]) => mm.has(v) && s < mm.get(v)! * 0.999);
      expect(narrower.length, method).toBeGreaterThan(0);
    }
  });

  it("format 'qoperator' through quantizeModel gives QLinearConv nodes and keeps the accuracy", async () => {
    const { model: q, report } = await quantizeModel(model, { format: 'qoperator' }, { backend: onnxruntimeBackend, executor: ortNode, calibration: batchesOf(calib, 32) });
    expect(q.graph.nodes.filter((n) => n.opType === 'QLinearConv').length).toBe(3);
    expect(q.graph.nodes.filter((n) => n.opType === 'Conv').length).toBe(0);
    expect(report.qoperator?.kept).toEqual([]);
    expect(await testAccuracy(q)).toBeGreaterThanOrEqual(fp32 - 1e-9);
  });

  it("mode 'weight-only' through quantizeModel writes MatMulNBits for the Gemm layers and keeps accuracy within 0.01", async () => {
    const { model: q, report } = await quantizeModel(model, { mode: 'weight-only' }, { backend: onnxruntimeBackend });
    expect(report.options.weightType).toBe('int4');
    expect(q.graph.nodes.filter((n) => n.opType === 'MatMulNBits').length).toBe(2);
    expect(await testAccuracy(q)).toBeGreaterThanOrEqual(fp32 - 0.01);
  });

  it("weightScheme 'codebook' (256 entries) in weight-only mode keeps the accuracy and expands with standard ops", async () => {
    const { model: q } = await quantizeModel(model, { mode: 'weight-only', weightType: 'uint8', weightScheme: 'codebook' }, { backend: onnxruntimeBackend });
    expect(q.graph.nodes.every((n) => n.domain === '')).toBe(true);
    expect(await testAccuracy(q)).toBeGreaterThanOrEqual(fp32 - 1e-9);
  });
});
