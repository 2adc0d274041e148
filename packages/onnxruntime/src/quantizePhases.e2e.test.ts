import { describe, expect, it } from 'vitest';
import { convertStatic, createGraph, createModel, encodeModel, prepareStatic, quantizeModel, Tensor, type Model } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from './node.js';
import { DIGITS_MODEL, digitsRows, batchesOf } from './test-support/digits.js';
import { onnxruntimeBackend } from './policy.js';

const bytes = (m: Model) => Buffer.from(encodeModel(m).model);

describe('static quantization in two phases (prepareStatic, convertStatic) on the digits CNN', async () => {
  const model = await loadModelFile(DIGITS_MODEL);
  const calib = () => batchesOf(digitsRows(0, 256).x, 32);
  const { model: q, report } = await quantizeModel(model, {}, { backend: onnxruntimeBackend, executor: ortNode, calibration: calib() });
  const state = await prepareStatic(model, {}, { backend: onnxruntimeBackend, executor: ortNode, calibration: calib() }, { keepBatches: 3 });

  it('gives the same bytes and report lists as quantizeModel when no node is kept float', () => {
    const c = convertStatic(state);
    expect(bytes(c.model).equals(bytes(q))).toBe(true);
    expect(c.quantized).toEqual(report.quantized);
    expect(c.float).toEqual(report.float);
    expect(c.zeroRange).toEqual(report.zeroRange);
    expect(state.calibration).toEqual(report.calibration);
    expect(report.mixedPrecision).toBeUndefined();
  });

  it('converts again and again from one state without changing it', () => {
    const before = bytes(state.model);
    const a = convertStatic(state, new Set(['/f/f.7/Conv']));
    const b = convertStatic(state);
    const c = convertStatic(state, new Set(['/f/f.7/Conv']));
    expect(bytes(state.model).equals(before)).toBe(true);
    expect(bytes(b.model).equals(bytes(q))).toBe(true);
    expect(bytes(a.model).equals(bytes(c.model))).toBe(true);
    expect(bytes(a.model).equals(bytes(q))).toBe(false);
  });

  it('keeps a node float exactly as excluding it by name does, with the given reason', async () => {
    const { model: ex } = await quantizeModel(model, { exclude: ['/h/h.3/Gemm'] }, { backend: onnxruntimeBackend, executor: ortNode, calibration: calib() });
    const c = convertStatic(state, new Set(['/h/h.3/Gemm']), 'kept for a test');
    expect(bytes(c.model).equals(bytes(ex))).toBe(true);
    expect(c.float).toContainEqual({ name: '/h/h.3/Gemm', opType: 'Gemm', reason: 'kept for a test' });
    expect(c.units.map((u) => u.name)).not.toContain('/h/h.3/Gemm');
    const gemm = c.model.graph.nodes.find((n) => n.name === '/h/h.3/Gemm')!;
    expect(c.model.graph.initializers.get(gemm.inputs[1]!)?.dtype).toBe('float32');
  });

  it('lists each quantized node once as a unit, with the Relu fused after it', () => {
    const c = convertStatic(state);
    expect(c.units.find((u) => u.name === '/f/f.0/Conv')).toEqual({ name: '/f/f.0/Conv', opType: 'Conv', fused: '/f/f.2/Relu' });
    expect(c.units.map((u) => u.name)).not.toContain('/f/f.2/Relu');
  });

  it('keeps the first keepBatches calibration batches and no more', () => {
    expect(state.keptBatches.length).toBe(3);
    const first = [...calib()][0]!;
    expect(state.keptBatches[0]!.input!.data).toEqual(first.input!.data);
  });
});

describe('static quantization of a model with nothing to quantize', () => {
  it('counts the calibration batches without running the model for tensors and returns it unchanged', async () => {
    const g = createGraph('plain');
    g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [2] } });
    g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: [2] } });
    g.nodes.push({ name: 'soft', opType: 'Softsign', domain: '', inputs: ['x'], outputs: ['y'], attributes: [] });
    const m = createModel(g, 17);
    const x = new Tensor('float32', Float32Array.from([1, 2]), [2]);
    const { model: q, report } = await quantizeModel(m, {}, { backend: onnxruntimeBackend, executor: ortNode, calibration: [{ x }, { x }] });
    expect(report.calibration).toMatchObject({ batches: 2, tensors: 0 });
    expect(report.quantized).toEqual([]);
    expect(bytes(q).equals(bytes(m))).toBe(true);
  });
});
