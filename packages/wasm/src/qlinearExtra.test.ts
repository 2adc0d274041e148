import { describe, expect, it } from 'vitest';
import { decodeModel, Tensor as CoreTensor, type AttributeValue, type DType } from '@qtk/core';
import { ortNode } from '@qtk/onnxruntime/node';
import { float, int, ints, oneNodeModel, runOne, str, type TestInput } from './test-support/graphs.js';
import { Rand } from './test-support/reference.js';

const MS = { domain: 'com.microsoft' };

/** Codes of an 8-bit tensor drawn uniformly from the type's range. */
function codes(r: Rand, n: number, signed: boolean): number[] {
  return Array.from({ length: n }, () => Math.floor(r.next() * 256) - (signed ? 128 : 0));
}

const scalar = (name: string, type: 'float32' | 'uint8' | 'int8', v: number): TestInput => ({ name, type, dims: [], data: [v], init: true });

/** Runs a one-node model in the engine and in onnxruntime-node; returns both outputs as numbers. */
async function both(op: string, inputs: (TestInput | null)[], attrs: Record<string, AttributeValue> = {}, opts: { domain?: string; opset?: number } = {}): Promise<{ ours: number[]; ref: number[]; dims: readonly number[] }> {
  const [t] = await runOne(op, inputs, attrs, opts);
  const m = decodeModel(oneNodeModel(op, inputs, attrs, opts));
  const feeds: Record<string, CoreTensor> = {};
  for (const i of inputs) {
    if (!i || i.init) continue;
    const data = i.type === 'uint8' ? Uint8Array.from(i.data) : i.type === 'int8' ? Int8Array.from(i.data) : Float32Array.from(i.data);
    feeds[i.name] = new CoreTensor(i.type as DType, data, i.dims);
  }
  const s = await ortNode.createSession(m);
  try {
    const out = await s.run(feeds);
    const ref = out[Object.keys(out)[0]!]!;
    expect([...t!.dims]).toEqual([...ref.dims]);
    return { ours: Array.from(t!.data as ArrayLike<number>), ref: Array.from(ref.data as ArrayLike<number>), dims: t!.dims };
  } finally {
    await s.release();
  }
}

/** Largest difference in quantization steps and how many elements differ at all. */
function steps(a: number[], b: number[]): { max: number; differing: number } {
  let max = 0, differing = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    max = Math.max(max, d);
    if (d > 0) differing++;
  }
  return { max, differing };
}

describe('QOperator ops of format qoperator against onnxruntime-node', () => {
  for (const dt of ['uint8', 'int8'] as const) {
    const signed = dt === 'int8';
    const zp = (v: number) => (signed ? v - 128 : v);

    it(`QLinearMul (${dt}, broadcast B) agrees to the step`, async () => {
      const r = new Rand(1);
      const { ours, ref } = await both('QLinearMul', [
        { name: 'a', type: dt, dims: [2, 3, 4, 5], data: codes(r, 120, signed) }, scalar('as', 'float32', 0.031), scalar('az', dt, zp(121)),
        { name: 'b', type: dt, dims: [4, 5], data: codes(r, 20, signed) }, scalar('bs', 'float32', 0.017), scalar('bz', dt, zp(133)),
        scalar('cs', 'float32', 0.0045), scalar('cz', dt, zp(128)),
      ], {}, MS);
      const s = steps(ours, ref);
      expect(s.max).toBeLessThanOrEqual(1);
      expect(s.differing).toBeLessThanOrEqual(2);
    });

    it(`QLinearSigmoid and QLinearLeakyRelu (${dt}) give onnxruntime's table to the step`, async () => {
      const x: TestInput = { name: 'x', type: dt, dims: [256], data: Array.from({ length: 256 }, (_, i) => i - (signed ? 128 : 0)) };
      const q = [x, scalar('xs', 'float32', 0.05), scalar('xz', dt, zp(120)), scalar('ys', 'float32', 1 / 255), scalar('yz', dt, zp(0))];
      const sig = await both('QLinearSigmoid', q, {}, MS);
      expect(steps(sig.ours, sig.ref).max).toBeLessThanOrEqual(1);
      const lr = await both('QLinearLeakyRelu', [x, scalar('xs', 'float32', 0.05), scalar('xz', dt, zp(120)), scalar('ys', 'float32', 0.04), scalar('yz', dt, zp(30))], { alpha: float(0.1) }, MS);
      expect(steps(lr.ours, lr.ref).max).toBeLessThanOrEqual(1);
      // the table covers every code: the outputs are not constant
      expect(new Set(sig.ours).size).toBeGreaterThan(100);
    });
  }

  it('QLinearAdd broadcasting per channel either way (the strided path) agrees to the step', async () => {
    const r = new Rand(7);
    const big: TestInput = { name: 'a', type: 'uint8', dims: [2, 4, 3, 5], data: codes(r, 120, false) };
    const ch: TestInput = { name: 'b', type: 'uint8', dims: [1, 4, 1, 1], data: codes(r, 4, false) };
    const q = (x: TestInput, y: TestInput) => [x, scalar('as', 'float32', 0.03), scalar('az', 'uint8', 128), { ...y, name: 'b' }, scalar('bs', 'float32', 0.05), scalar('bz', 'uint8', 10), scalar('ys', 'float32', 0.07), scalar('yz', 'uint8', 90)];
    for (const [x, y] of [[big, ch], [{ ...ch, name: 'a' }, big]] as const) {
      const { ours, ref, dims } = await both('QLinearAdd', q(x, y), {}, MS);
      expect([...dims]).toEqual([2, 4, 3, 5]);
      expect(steps(ours, ref).max).toBeLessThanOrEqual(1);
    }
  });

  it('QLinearSoftmax on the last axis (opset 13) and flattened at axis 1 (opset 12)', async () => {
    const r = new Rand(2);
    for (const [opset, axis] of [[13, -1], [12, 1]] as const) {
      const { ours, ref } = await both('QLinearSoftmax', [
        { name: 'x', type: 'uint8', dims: [2, 3, 40], data: codes(r, 240, false) }, scalar('xs', 'float32', 0.06), scalar('xz', 'uint8', 128),
        scalar('ys', 'float32', 1 / 256), scalar('yz', 'uint8', 0),
      ], { opset: int(opset), axis: int(axis) }, MS);
      expect(steps(ours, ref).max).toBeLessThanOrEqual(1);
      expect(Math.max(...ours)).toBeGreaterThan(10);
    }
  });

  it('QLinearSoftmax equals onnxruntime on every code when 1 / y_scale is not an integer (its scale is floor(1 / y_scale))', async () => {
    const r = new Rand(12);
    const { ours, ref } = await both('QLinearSoftmax', [
      { name: 'x', type: 'uint8', dims: [16, 6, 203], data: codes(r, 16 * 6 * 203, false) }, scalar('xs', 'float32', 0.0322), scalar('xz', 'uint8', 114),
      scalar('ys', 'float32', 0.0015716), scalar('yz', 'uint8', 3),
    ], { opset: int(13), axis: int(-1) }, MS);
    expect(steps(ours, ref).max).toBe(0);
    expect(new Set(ours).size).toBeGreaterThan(30);
  });

  it('QLinearAveragePool (pads, count_include_pad 0 and 1) and QLinearGlobalAveragePool', async () => {
    const r = new Rand(3);
    const x: TestInput = { name: 'x', type: 'uint8', dims: [1, 4, 9, 11], data: codes(r, 396, false) };
    const q = [x, scalar('xs', 'float32', 0.02), scalar('xz', 'uint8', 100), scalar('ys', 'float32', 0.015), scalar('yz', 'uint8', 90)];
    for (const cip of [0, 1]) {
      const { ours, ref, dims } = await both('QLinearAveragePool', q, { kernel_shape: ints([3, 3]), strides: ints([2, 2]), pads: ints([1, 1, 1, 1]), count_include_pad: int(cip) }, MS);
      expect([...dims]).toEqual([1, 4, 5, 6]);
      expect(steps(ours, ref).max).toBeLessThanOrEqual(1);
    }
    const g = await both('QLinearGlobalAveragePool', q, {}, MS);
    expect([...g.dims]).toEqual([1, 4, 1, 1]);
    expect(steps(g.ours, g.ref).max).toBeLessThanOrEqual(1);
  });

  it('QLinearConcat requantizes inputs whose scale differs and copies the others', async () => {
    const r = new Rand(4);
    const { ours, ref, dims } = await both('QLinearConcat', [
      scalar('ys', 'float32', 0.03), scalar('yz', 'uint8', 110),
      { name: 'a', type: 'uint8', dims: [1, 2, 3, 4], data: codes(r, 24, false) }, scalar('as', 'float32', 0.03), scalar('az', 'uint8', 110),
      { name: 'b', type: 'uint8', dims: [1, 3, 3, 4], data: codes(r, 36, false) }, scalar('bs', 'float32', 0.05), scalar('bz', 'uint8', 128),
    ], { axis: int(1) }, MS);
    expect([...dims]).toEqual([1, 5, 3, 4]);
    expect(steps(ours, ref).max).toBeLessThanOrEqual(1);
  });

  it('QLinearMatMul of two runtime inputs (batched, broadcast) agrees to the step', async () => {
    const r = new Rand(5);
    const { ours, ref, dims } = await both('QLinearMatMul', [
      { name: 'a', type: 'uint8', dims: [2, 3, 5, 16], data: codes(r, 480, false) }, scalar('as', 'float32', 0.02), scalar('az', 'uint8', 128),
      { name: 'b', type: 'uint8', dims: [3, 16, 7], data: codes(r, 336, false) }, scalar('bs', 'float32', 0.03), scalar('bz', 'uint8', 120),
      scalar('ys', 'float32', 0.2), scalar('yz', 'uint8', 125),
    ]);
    expect([...dims]).toEqual([2, 3, 5, 7]);
    const s = steps(ours, ref);
    expect(s.max).toBeLessThanOrEqual(1);
    expect(new Set(ours).size).toBeGreaterThan(10);
  });

  it('Resize nearest copies 8-bit tensors; linear on 8 bits is refused at planning', async () => {
    const r = new Rand(6);
    const x: TestInput = { name: 'x', type: 'uint8', dims: [1, 2, 3, 4], data: codes(r, 24, false) };
    const scales: TestInput = { name: 'scales', type: 'float32', dims: [4], data: [1, 1, 2, 2], init: true };
    const { ours, ref, dims } = await both('Resize', [x, null, scales], { mode: str('nearest') }, { opset: 13 });
    expect([...dims]).toEqual([1, 2, 6, 8]);
    expect(ours).toEqual(ref);
    await expect(runOne('Resize', [x, null, scales], { mode: str('linear') }, { opset: 13 })).rejects.toMatchObject({ code: 'E_UNSUPPORTED' });
  });
});
