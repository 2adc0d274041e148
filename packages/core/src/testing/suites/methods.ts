/** Every calibration method on the digits CNN: the test accuracy stays at FP32's 0.996. */
import { expect } from 'vitest';
import { quantizeModel, type CalibrationMethod, type Model } from '../../index.js';
import { lazy, type SuiteContext } from '../context.js';
import { digitsRows, batchesOf, testAccuracy, loadDigits } from '../digits.js';

const METHODS: CalibrationMethod[] = ['minmax', 'moving-average', 'entropy', 'percentile', 'mse', 'mean-minmax'];

/** Registers the methods suite. */
export function methodsSuite(t: SuiteContext): void {
  t.describe('calibration methods on the digits CNN', (s) => methods(s));
}

function methods(s: SuiteContext): void {
  const executor = s.executor;
  const setup = lazy(async () => {
    const { data, model } = await loadDigits(s.fixtures);
    return { data, model, calib: digitsRows(data, 0, 256).x, fp32: await testAccuracy(executor, model, data) };
  });
  const testAcc = async (m: Model) => testAccuracy(executor, m, (await setup()).data);

  s.it('FP32 accuracy on the 500 held-out digits is 0.996', async () => {
    const { fp32 } = await setup();
    expect(fp32).toBeCloseTo(0.996, 3);
  });

  for (const method of METHODS) s.it(`method ${method} keeps the INT8 test accuracy at FP32 (0.996)`, async () => {
    const { model, calib, fp32 } = await setup();
    const { model: q, report } = await quantizeModel(model, { method }, { backend: s.backend, executor, calibration: batchesOf(calib, 32) });
    expect(report.options.method).toBe(method);
    expect(report.quantized.filter((n) => n.opType === 'Conv').length).toBe(3);
    expect(await testAcc(q)).toBeGreaterThanOrEqual(fp32 - 1e-9);
  });

  s.it('histogram methods pick narrower activation ranges than minmax on some tensor', async () => {
    const { model, calib } = await setup();
    const scales = async (method: CalibrationMethod) => {
      const { model: q } = await quantizeModel(model, { method }, { backend: s.backend, executor, calibration: batchesOf(calib, 32) });
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

  s.itWithFormat('qoperator', "format 'qoperator' through quantizeModel gives QLinearConv nodes and keeps the accuracy", async () => {
    const { model, calib, fp32 } = await setup();
    const { model: q, report } = await quantizeModel(model, { format: 'qoperator' }, { backend: s.backend, executor, calibration: batchesOf(calib, 32) });
    expect(q.graph.nodes.filter((n) => n.opType === 'QLinearConv').length).toBe(3);
    expect(q.graph.nodes.filter((n) => n.opType === 'Conv').length).toBe(0);
    expect(report.qoperator?.kept).toEqual([]);
    expect(await testAcc(q)).toBeGreaterThanOrEqual(fp32 - 1e-9);
  });

  s.it("mode 'weight-only' through quantizeModel writes MatMulNBits for the Gemm layers and keeps accuracy within 0.01", async () => {
    const { model, fp32 } = await setup();
    const { model: q, report } = await quantizeModel(model, { mode: 'weight-only' }, { backend: s.backend });
    expect(report.options.weightType).toBe('int4');
    expect(q.graph.nodes.filter((n) => n.opType === 'MatMulNBits').length).toBe(2);
    expect(await testAcc(q)).toBeGreaterThanOrEqual(fp32 - 0.01);
  });

  s.it("weightScheme 'codebook' (256 entries) in weight-only mode keeps the accuracy and expands with standard ops", async () => {
    const { model, fp32 } = await setup();
    const { model: q } = await quantizeModel(model, { mode: 'weight-only', weightType: 'uint8', weightScheme: 'codebook' }, { backend: s.backend });
    expect(q.graph.nodes.every((n) => n.domain === '')).toBe(true);
    expect(await testAcc(q)).toBeGreaterThanOrEqual(fp32 - 1e-9);
  });
}
