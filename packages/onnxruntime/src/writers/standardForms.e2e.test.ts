/**
 * Core's standard writers (the onnxruntime policy without its writers) write plain ONNX;
 * onnxruntime-node runs it too. The onnxruntime writers differ only in form: same accuracy, other ops.
 */
import { describe, expect, it } from 'vitest';
import { convertStatic, encodeModel, prepareStatic, quantizeModel } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from '../node.js';
import { DIGITS_MODEL, digitsRows, batchesOf, testAccuracy } from '../test-support/digits.js';
import { onnxruntimeBackend } from '../policy/onnxruntimeBackend.js';

/** onnxruntime's placement and defaults with core's standard writers. */
const standardForms = { ...onnxruntimeBackend, name: 'onnxruntime-standard-forms', writers: undefined };

describe('standard writers against the onnxruntime writers on the digits CNN', async () => {
  const model = await loadModelFile(DIGITS_MODEL);
  const calibration = () => batchesOf(digitsRows(0, 256).x, 64);
  const fp32 = await testAccuracy(model);
  const domains = (m: { graph: { nodes: Array<{ domain: string }> } }) => new Set(m.graph.nodes.map((n) => n.domain));

  // int16 activations with int8 weights (A16W8): onnxruntime's optimized sessions run int16 x int16
  // Conv of this model badly whatever the domain (see weightFormats.e2e.test.ts).
  it('A16W8 static: standard ONNX Q/DQ at opset 21 and com.microsoft Q/DQ at the model opset both keep accuracy ≥ 0.99', async () => {
    const opts = { activationType: 'int16', weightType: 'int8' } as const;
    const { model: std } = await quantizeModel(model, opts, { backend: standardForms, executor: ortNode, calibration: calibration() });
    const { model: ort } = await quantizeModel(model, opts, { backend: onnxruntimeBackend, executor: ortNode, calibration: calibration() });
    expect(domains(std)).toEqual(new Set(['']));
    expect(std.opsetImports.get('')).toBe(21);
    expect(domains(ort).has('com.microsoft')).toBe(true);
    expect(ort.opsetImports.get('')).toBeLessThan(21);
    expect(await testAccuracy(std)).toBeGreaterThanOrEqual(0.99);
    expect(await testAccuracy(ort)).toBeGreaterThanOrEqual(0.99);
  });

  it('weight-only int4: blocked DequantizeLinear (standard) and MatMulNBits (onnxruntime) both keep accuracy within 0.01', async () => {
    const { model: std } = await quantizeModel(model, { mode: 'weight-only' }, { backend: standardForms });
    const { model: ort } = await quantizeModel(model, { mode: 'weight-only' }, { backend: onnxruntimeBackend });
    expect(std.graph.nodes.some((n) => n.opType === 'MatMulNBits')).toBe(false);
    expect(std.graph.nodes.filter((n) => n.opType === 'DequantizeLinear').length).toBeGreaterThanOrEqual(2);
    expect(ort.graph.nodes.filter((n) => n.opType === 'MatMulNBits').length).toBe(2);
    expect(await testAccuracy(std)).toBeGreaterThanOrEqual(fp32 - 0.01);
    expect(await testAccuracy(ort)).toBeGreaterThanOrEqual(fp32 - 0.01);
  });

  it("convertStatic after prepareStatic writes with the backend's writers, byte for byte what quantizeModel writes (com.microsoft Q/DQ for A16W8)", async () => {
    const opts = { activationType: 'int16', weightType: 'int8' } as const;
    const { model: q } = await quantizeModel(model, opts, { backend: onnxruntimeBackend, executor: ortNode, calibration: calibration() });
    const state = await prepareStatic(model, opts, { backend: onnxruntimeBackend, executor: ortNode, calibration: calibration() });
    const c = convertStatic(state);
    expect(domains(c.model).has('com.microsoft')).toBe(true);
    expect(Buffer.from(encodeModel(c.model).model).equals(Buffer.from(encodeModel(q).model))).toBe(true);
  });
});
