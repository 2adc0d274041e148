/**
 * @qtk/wasm as a core executor: static quantization calibrated on the engine matches
 * calibration on onnxruntime-node, intermediate values can be fetched, and an op the
 * engine cannot run fails at session creation naming the node.
 */
import { describe, expect, it } from 'vitest';
import { createGraph, createModel, isQtkError, prepareStatic, quantizeModel } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { DIGITS_MODEL, batchesOf, digitsRows, testAccuracy } from './test-support/digits.js';
import { wasmExecutor } from './executor.js';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

describe('wasmExecutor', () => {
  it('calibrates the digits CNN to the same MinMax ranges as onnxruntime-node, and the model keeps 0.996 accuracy', async () => {
    const model = await loadModelFile(DIGITS_MODEL);
    const calib = () => batchesOf(digitsRows(0, 128).x, 32);
    const onWasm = await prepareStatic(model, { method: 'minmax' }, { backend: onnxruntimeBackend, executor: wasmExecutor, calibration: calib() });
    const onOrt = await prepareStatic(model, { method: 'minmax' }, { backend: onnxruntimeBackend, executor: ortNode, calibration: calib() });
    expect([...onWasm.ranges.keys()].sort()).toEqual([...onOrt.ranges.keys()].sort());
    for (const [name, r] of onWasm.ranges) {
      const o = onOrt.ranges.get(name)!;
      const tol = 1e-4 * Math.max(1, Math.abs(o.max[0]!), Math.abs(o.min[0]!));
      expect(Math.abs(r.min[0]! - o.min[0]!), name).toBeLessThanOrEqual(tol);
      expect(Math.abs(r.max[0]! - o.max[0]!), name).toBeLessThanOrEqual(tol);
    }
    const { model: q } = await quantizeModel(model, {}, { backend: onnxruntimeBackend, executor: wasmExecutor, calibration: calib() });
    expect(await testAccuracy(q)).toBeGreaterThanOrEqual(0.996);
  });

  it('returns fetched intermediate values and only what was fetched', async () => {
    const g = createGraph();
    g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [2, 3] } });
    g.outputs.push({ name: 'z', type: { kind: 'tensor', dtype: 'float32', shape: [2, 3] } });
    g.nodes.push({ name: 'neg', opType: 'Neg', domain: '', inputs: ['x'], outputs: ['y'], attributes: [] });
    g.nodes.push({ name: 'relu', opType: 'Relu', domain: '', inputs: ['y'], outputs: ['z'], attributes: [] });
    const s = await wasmExecutor.createSession(createModel(g, 13), { extraOutputs: ['y'] });
    const { Tensor } = await import('@qtk/core');
    const out = await s.run({ x: new Tensor('float32', Float32Array.of(1, -2, 3, -4, 5, -6), [2, 3]) }, ['y']);
    expect(Object.keys(out)).toEqual(['y']);
    expect([...(out.y!.data as Float32Array)]).toEqual([-1, 2, -3, 4, -5, 6]);
    await s.release();
  });

  it('refuses a model with an op the engine cannot run at createSession, naming the node', async () => {
    const g = createGraph();
    g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [4] } });
    g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: [4] } });
    g.nodes.push({ name: 'odd_op', opType: 'Hardmax', domain: '', inputs: ['x'], outputs: ['y'], attributes: [] });
    let err: unknown;
    try { await wasmExecutor.createSession(createModel(g, 13)); } catch (e) { err = e; }
    expect(isQtkError(err) && err.code === 'E_UNSUPPORTED' && err.message.includes('odd_op')).toBe(true);
  });
});
