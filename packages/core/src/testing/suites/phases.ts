/** Static quantization in two phases (prepareStatic, convertStatic) and of a model with nothing to quantize. */
import { expect } from 'vitest';
import { convertStatic, createGraph, createModel, encodeModel, prepareStatic, quantizeModel, Tensor, type Model } from '../../index.js';
import { lazy, type SuiteContext } from '../context.js';
import { loadDigits, digitsCalibration } from '../digits.js';

const bytes = (m: Model) => Buffer.from(encodeModel(m).model);

/** Registers the phases suite. */
export function phasesSuite(t: SuiteContext): void {
  t.describe('static quantization in two phases (prepareStatic, convertStatic) on the digits CNN', (s) => twoPhases(s));
  t.describe('static quantization of a model with nothing to quantize', (s) => nothingToQuantize(s));
}

function twoPhases(s: SuiteContext): void {
  const executor = s.executor;
  const setup = lazy(async () => {
    const { data, model } = await loadDigits(s.fixtures);
    const calib = () => digitsCalibration(data);
    const { model: q, report } = await quantizeModel(model, {}, { backend: s.backend, executor, calibration: calib() });
    const state = await prepareStatic(model, {}, { backend: s.backend, executor, calibration: calib() }, { keepBatches: 3 });
    return { model, calib, q, report, state };
  });

  s.it('gives the same bytes and report lists as quantizeModel when no node is kept float', async () => {
    const { q, report, state } = await setup();
    const c = convertStatic(state);
    expect(bytes(c.model).equals(bytes(q))).toBe(true);
    expect(c.quantized).toEqual(report.quantized);
    expect(c.float).toEqual(report.float);
    expect(c.zeroRange).toEqual(report.zeroRange);
    expect(state.calibration).toEqual(report.calibration);
    expect(report.mixedPrecision).toBeUndefined();
  });

  s.it('converts again and again from one state without changing it', async () => {
    const { q, state } = await setup();
    const before = bytes(state.model);
    const a = convertStatic(state, new Set(['/f/f.7/Conv']));
    const b = convertStatic(state);
    const c = convertStatic(state, new Set(['/f/f.7/Conv']));
    expect(bytes(state.model).equals(before)).toBe(true);
    expect(bytes(b.model).equals(bytes(q))).toBe(true);
    expect(bytes(a.model).equals(bytes(c.model))).toBe(true);
    expect(bytes(a.model).equals(bytes(q))).toBe(false);
  });

  s.it('keeps a node float exactly as excluding it by name does, with the given reason', async () => {
    const { model, calib, state } = await setup();
    const { model: ex } = await quantizeModel(model, { exclude: ['/h/h.3/Gemm'] }, { backend: s.backend, executor, calibration: calib() });
    const c = convertStatic(state, new Set(['/h/h.3/Gemm']), 'kept for a test');
    expect(bytes(c.model).equals(bytes(ex))).toBe(true);
    expect(c.float).toContainEqual({ name: '/h/h.3/Gemm', opType: 'Gemm', reason: 'kept for a test' });
    expect(c.units.map((u) => u.name)).not.toContain('/h/h.3/Gemm');
    const gemm = c.model.graph.nodes.find((n) => n.name === '/h/h.3/Gemm')!;
    expect(c.model.graph.initializers.get(gemm.inputs[1]!)?.dtype).toBe('float32');
  });

  s.it('lists each quantized node once as a unit, with the Relu fused after it', async () => {
    const { state } = await setup();
    const c = convertStatic(state);
    expect(c.units.find((u) => u.name === '/f/f.0/Conv')).toEqual({ name: '/f/f.0/Conv', opType: 'Conv', fused: '/f/f.2/Relu' });
    expect(c.units.map((u) => u.name)).not.toContain('/f/f.2/Relu');
  });

  s.it('keeps the first keepBatches calibration batches and no more', async () => {
    const { calib, state } = await setup();
    expect(state.keptBatches.length).toBe(3);
    const first = [...calib()][0]!;
    expect(state.keptBatches[0]!.input!.data).toEqual(first.input!.data);
  });
}

function nothingToQuantize(s: SuiteContext): void {
  s.it('counts the calibration batches without running the model for tensors and returns it unchanged', async () => {
    const g = createGraph('plain');
    g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [2] } });
    g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: [2] } });
    g.nodes.push({ name: 'soft', opType: 'Softsign', domain: '', inputs: ['x'], outputs: ['y'], attributes: [] });
    const m = createModel(g, 17);
    const x = new Tensor('float32', Float32Array.from([1, 2]), [2]);
    const { model: q, report } = await quantizeModel(m, {}, { backend: s.backend, executor: s.executor, calibration: [{ x }, { x }] });
    expect(report.calibration).toMatchObject({ batches: 2, tensors: 0 });
    expect(report.quantized).toEqual([]);
    expect(bytes(q).equals(bytes(m))).toBe(true);
  });
}
