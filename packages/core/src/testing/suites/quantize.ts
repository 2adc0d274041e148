/** Static and dynamic quantization of the digits CNN end to end, and edge cases of static mode. */
import { expect } from 'vitest';
import {
  decodeModel, encodeModel, quantizeModel, isQtkError, Tensor, createGraph, createModel, type Model, type Node,
} from '../../index.js';
import { lazy, type SuiteContext } from '../context.js';
import { digitsRows, batchesOf, testAccuracy, loadDigits } from '../digits.js';

const count = (m: Model, op: string) => m.graph.nodes.filter((n) => n.opType === op).length;
const producerOf = (m: Model, v: string): Node | undefined => m.graph.nodes.find((n) => n.outputs.includes(v));

/** Registers the quantize suite. */
export function quantizeSuite(t: SuiteContext): void {
  t.describe('static QDQ quantization of the digits CNN', (s) => staticDigits(s));
  t.describe('dynamic quantization of the digits CNN', (s) => dynamicDigits(s));
  t.describe('edge cases of static quantization', (s) => edgeCases(s));
}

function staticDigits(s: SuiteContext): void {
  const setup = lazy(async () => {
    const { data, model } = await loadDigits(s.fixtures);
    const before = encodeModel(model).model;
    const calib = digitsRows(data, 0, 256).x;
    const { model: q, report } = await quantizeModel(model, {}, { backend: s.backend, executor: s.executor, calibration: batchesOf(calib, 32) });
    return { data, model, before, q, report };
  });

  s.it('puts DequantizeLinear with int8 per-channel weights (axis 0) and uint8 activations before every Conv', async () => {
    const { q } = await setup();
    const convs = q.graph.nodes.filter((n) => n.opType === 'Conv');
    expect(convs.length).toBe(3);
    for (const c of convs) {
      const xdq = producerOf(q, c.inputs[0]!)!;
      const wdq = producerOf(q, c.inputs[1]!)!;
      expect(xdq.opType).toBe('DequantizeLinear');
      expect(wdq.opType).toBe('DequantizeLinear');
      expect(q.graph.initializers.get(wdq.inputs[0]!)!.dtype).toBe('int8');
      expect(wdq.attributes.find((a) => a.name === 'axis')?.value).toEqual({ kind: 'int', value: 0 });
      expect(q.graph.initializers.get(xdq.inputs[2]!)!.dtype).toBe('uint8');
      const bdq = producerOf(q, c.inputs[2]!)!;
      expect(q.graph.initializers.get(bdq.inputs[0]!)!.dtype).toBe('int32');
    }
    expect(count(q, 'BatchNormalization')).toBe(0);
  });

  s.it('keeps test accuracy at or above 0.994 (FP32 0.996)', async () => {
    const { data, model, q } = await setup();
    expect(await testAccuracy(s.executor, model, data)).toBeCloseTo(0.996, 3);
    expect(await testAccuracy(s.executor, q, data)).toBeGreaterThanOrEqual(0.994);
  });

  s.it('reports every Conv and Gemm as quantized and the calibration counts', async () => {
    const { report } = await setup();
    const ops = report.quantized.map((n) => n.opType);
    expect(ops.filter((o) => o === 'Conv').length).toBe(3);
    expect(ops.filter((o) => o === 'Gemm').length).toBe(2);
    expect(report.calibration).toMatchObject({ batches: 8, samples: 256, skippedNonFinite: 0 });
  });

  s.it('leaves the input model untouched', async () => {
    const { model, before } = await setup();
    expect(Buffer.from(encodeModel(model).model).equals(Buffer.from(before))).toBe(true);
  });

  s.it('shrinks the file to at most 0.31 of FP32 (int8 weights plus scales, zero points and Q/DQ nodes)', async () => {
    const { data, q } = await setup();
    expect(encodeModel(q).model.byteLength / data.model.byteLength).toBeLessThanOrEqual(0.31);
  });
}

function dynamicDigits(s: SuiteContext): void {
  const setup = lazy(async () => {
    const data = await s.fixtures.digits();
    return { data, ...(await quantizeModel(decodeModel(data.model), { mode: 'dynamic' }, { backend: s.backend })) };
  });

  s.it('rewrites Conv to ConvInteger (uint8 x uint8) and Gemm to MatMulInteger (uint8 x int8)', async () => {
    const { model: q, report } = await setup();
    expect(count(q, 'ConvInteger')).toBe(3);
    expect(count(q, 'MatMulInteger')).toBe(2);
    expect(count(q, 'Conv') + count(q, 'Gemm')).toBe(0);
    for (const n of q.graph.nodes.filter((x) => x.opType === 'ConvInteger')) expect(q.graph.initializers.get(n.inputs[1]!)!.dtype).toBe('uint8');
    for (const n of q.graph.nodes.filter((x) => x.opType === 'MatMulInteger')) expect(q.graph.initializers.get(n.inputs[1]!)!.dtype).toBe('int8');
    expect(report.quantized.length).toBe(5);
  });

  s.it('keeps test accuracy at or above 0.99', async () => {
    const { data, model: q } = await setup();
    expect(await testAccuracy(s.executor, q, data)).toBeGreaterThanOrEqual(0.99);
  });
}

/** x → Conv(1x1) → Relu → Custom(unknown op) → output; used for edge cases. */
function tinyModel(weight = 1): Model {
  const g = createGraph('tiny');
  g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: ['N', 2, 4, 4] } });
  g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: ['N', 2, 4, 4] } });
  g.initializers.set('w', new Tensor('float32', Float32Array.from([weight, 0, 0, weight]), [2, 2, 1, 1]));
  g.nodes.push({ name: 'conv', opType: 'Conv', domain: '', inputs: ['x', 'w'], outputs: ['c'], attributes: [] });
  g.nodes.push({ name: 'relu', opType: 'Relu', domain: '', inputs: ['c'], outputs: ['r'], attributes: [] });
  g.nodes.push({ name: 'soft', opType: 'Softsign', domain: '', inputs: ['r'], outputs: ['y'], attributes: [] });
  return createModel(g, 17);
}

function edgeCases(s: SuiteContext): void {
  const executor = s.executor;
  s.it('gives an all-zero activation a valid scale and reports it as zero-range', async () => {
    const zeros = [{ x: Tensor.zeros('float32', [1, 2, 4, 4]) }];
    const { model: q, report } = await quantizeModel(tinyModel(), {}, { backend: s.backend, executor, calibration: zeros });
    expect(report.zeroRange.length).toBeGreaterThan(0);
    for (const [name, t] of q.graph.initializers) if (name.endsWith('_scale')) for (const v of t.toFloat32()) expect(v).toBeGreaterThan(0);
    const session = await executor.createSession(q);
    const out = await session.run({ x: new Tensor('float32', new Float32Array(32).fill(0.5), [1, 2, 4, 4]) });
    for (const v of out.y!.data as Float32Array) expect(Number.isFinite(v)).toBe(true);
  });

  s.it('skips and counts NaN and Inf in calibration data', async () => {
    const data = new Float32Array(32).map((_, i) => i / 32);
    data[3] = NaN; data[7] = Infinity;
    const { report } = await quantizeModel(tinyModel(), {}, { backend: s.backend, executor, calibration: [{ x: new Tensor('float32', data, [1, 2, 4, 4]) }] });
    expect(report.calibration!.skippedNonFinite).toBeGreaterThanOrEqual(2);
  });

  s.it('leaves an op without a quantization rule in float and names it in the report', async () => {
    const { report } = await quantizeModel(tinyModel(), {}, { backend: s.backend, executor, calibration: [{ x: Tensor.zeros('float32', [1, 2, 4, 4]) }] });
    expect(report.float).toContainEqual(expect.objectContaining({ name: 'soft', opType: 'Softsign' }));
    expect(report.quantized.map((n) => n.name)).toEqual(expect.arrayContaining(['conv', 'relu']));
  });

  s.it('refuses static mode without calibration data (E_CALIB_DATA) and unknown option values (E_OPTION)', async () => {
    await expect(quantizeModel(tinyModel(), {}, { backend: s.backend, executor })).rejects.toSatisfy((e) => isQtkError(e, 'E_CALIB_DATA'));
    await expect(quantizeModel(tinyModel(), { activationType: 'int3' as never }, { backend: s.backend })).rejects.toSatisfy((e) => isQtkError(e, 'E_OPTION') && /activationType/.test((e as Error).message));
  });
}
