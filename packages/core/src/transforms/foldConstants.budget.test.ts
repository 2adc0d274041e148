import { describe, expect, it } from 'vitest';
import { Tensor } from '../ir/tensor.js';
import { quantizeModel } from '../pipeline/quantize.js';
import { inferShapes } from '../shape/infer.js';
import { attr, model, shapeOf } from '../shape/test-support/build.js';
import { expectQtkError } from '../test-support/expectQtkError.js';
import { constantOfShapeBomb, rangeBomb } from '../test-support/memoryBombs.js';
import { checkTensorBytes, resolveMaxTensorBytes } from '../ir/memoryBudget.js';
import { foldConstants } from './foldConstants.js';
import { foldKernels } from './foldKernels.js';
import { preprocess } from './preprocess.js';
import { outputsOf } from './test-support/ortCompare.js';
import { tinyBackend } from '../test-support/tinyBackend.js';

const i64 = (v: number[], dims?: number[]) => Tensor.int64(v, dims);
const ops = (m: ReturnType<typeof model>) => m.graph.nodes.map((n) => n.opType);

/** `y = x + ConstantOfShape(dims)` (float32 zeros): folding turns the fill into an initializer. */
const addFill = (dims: number[]) => model({
  inputs: [['x', 'float32', dims]],
  initializers: { shape: i64(dims) },
  nodes: [['ConstantOfShape', ['shape'], ['zeros']], ['Add', ['x', 'zeros'], ['y']]],
  outputs: ['y'],
});

describe('constant folding under the memory budget', () => {
  it('leaves ConstantOfShape([65536, 65536]) (16 GiB) unfolded and folds the Shape of it from the inferred dims', () => {
    const m = constantOfShapeBomb();
    foldConstants(m);
    expect(m.graph.initializers.has('big')).toBe(false);
    expect(m.graph.nodes.map((n) => n.name)).toEqual(['fill', 'scale']);
    expect(m.graph.initializers.get('sf')!.toNumbers()).toEqual([65536, 65536]);
  });

  it('leaves Range(0, 5e8) (4 GB) unfolded', () => {
    const m = rangeBomb();
    foldConstants(m);
    expect(m.graph.initializers.has('big')).toBe(false);
    expect(m.graph.initializers.get('sf')!.toNumbers()).toEqual([5e8]);
  });

  it('preprocessed bombs compute what the originals do in onnxruntime', async () => {
    for (const [make, dims] of [[constantOfShapeBomb, [65536, 65536]], [rangeBomb, [5e8]]] as const) {
      const m = make();
      preprocess(m);
      expect(ops(m)).toEqual(['Mul']);
      expect(Array.from(await outputsOf(m, Float32Array.from(dims, () => 0.5), [1, dims.length]))).toEqual(dims.map((d) => d / 2));
    }
  });

  it('maxTensorBytes below the result keeps the node; at the result it folds', () => {
    const under = addFill([4, 4]);
    foldConstants(under, { maxTensorBytes: 63 });
    expect(ops(under)).toEqual(['ConstantOfShape', 'Add']);
    const at = addFill([4, 4]);
    foldConstants(at, { maxTensorBytes: 64 });
    expect(ops(at)).toEqual(['Add']);
    expect(at.graph.initializers.get('zeros')!.dims).toEqual([4, 4]);
  });

  it('preprocess passes maxTensorBytes to folding', () => {
    const m = addFill([4, 4]);
    preprocess(m, { maxTensorBytes: 32 });
    expect(ops(m)).toEqual(['ConstantOfShape', 'Add']);
  });

  it('quantizeModel takes maxTensorBytes from its context', async () => {
    const m = addFill([2, 2]);
    const { model: kept } = await quantizeModel(m, { mode: 'dynamic' }, { backend: tinyBackend, maxTensorBytes: 8 });
    expect(ops(kept)).toContain('ConstantOfShape');
    const { model: folded } = await quantizeModel(addFill([2, 2]), { mode: 'dynamic' }, { backend: tinyBackend });
    expect(ops(folded)).not.toContain('ConstantOfShape');
  });

  it('a budget that is not a positive number is E_OPTION', () => {
    expectQtkError(() => foldConstants(addFill([2]), { maxTensorBytes: -1 }), 'E_OPTION', 'maxTensorBytes must be a positive number');
    expect(resolveMaxTensorBytes(undefined)).toBe(2 ** 30);
  });

  it('checkTensorBytes names the value, its size and the budget', () => {
    expectQtkError(() => checkTensorBytes(2 ** 34, 2 ** 30, "value 'big'"), 'E_MEMORY_BUDGET', "value 'big' needs 16.0 GiB (17179869184 bytes), over the memory budget of 1.0 GiB");
    expect(() => checkTensorBytes(2 ** 30, 2 ** 30, 'v')).not.toThrow();
  });
});

describe('fold kernels check their result size before allocating', () => {
  const node = (opType: string, attributes: Record<string, ReturnType<typeof attr.i>> = {}) =>
    ({ name: opType, opType, domain: '', inputs: [], outputs: ['y'], attributes: Object.entries(attributes).map(([name, value]) => ({ name, value })) });
  const f32 = (n: number, dims = [n]) => Tensor.fromFloat32(new Float32Array(n), dims);
  const cases: Array<[string, ReturnType<typeof node>, Array<Tensor | undefined>]> = [
    ['ConstantOfShape', node('ConstantOfShape'), [i64([1 << 20, 1 << 20])]],
    ['Range', node('Range'), [i64([0], []), i64([2 ** 40], []), i64([1], [])]],
    ['Expand', node('Expand'), [f32(1), i64([1 << 20, 1 << 20])]],
    ['Mul (broadcast)', node('Mul'), [f32(1 << 20, [1 << 20, 1]), f32(1 << 20, [1, 1 << 20])]],
    ['Where (broadcast)', node('Where'), [new Tensor('bool', new Uint8Array(1 << 20), [1 << 20, 1]), f32(1 << 20, [1, 1 << 20]), f32(1)]],
    ['Gather (repeated indices)', node('Gather', { axis: attr.i(0) }), [f32(4), i64(new Array<number>(1 << 12).fill(0), [1 << 12])]],
  ];
  it.each(cases)('%s returns undefined over maxElements', (_, n, inputs) => {
    expect(foldKernels.get(n.opType)!(n, inputs, 17, 1000)).toBeUndefined();
  });

  it('Range within maxElements is computed', () => {
    expect(foldKernels.get('Range')!(node('Range'), [i64([0], []), i64([5], []), i64([1], [])], 17, 5)!.toNumbers()).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('shape inference never spells out a huge rank', () => {
  it('Reshape to a 5e8-long Range gets an unknown shape with a reason', () => {
    const m = model({
      inputs: [['x', 'float32', [2, 3]]],
      initializers: { start: i64([0], []), limit: i64([5e8], []), delta: i64([1], []) },
      nodes: [['Range', ['start', 'limit', 'delta'], ['target']], ['Reshape', ['x', 'target'], ['y']]],
      outputs: ['y'],
    });
    const r = inferShapes(m);
    expect(shapeOf(m, 'target')).toEqual([5e8]);
    expect(r.unknown.map((u) => u.reason).join(' ')).toContain('500000000 entries, more than the 1024 dims');
  });

  it('Split declaring num_outputs 1e9 for 2 outputs is reported, not spelled out as a 1e9-long array', () => {
    const m = model({
      inputs: [['x', 'float32', [4]]],
      nodes: [['Split', ['x'], ['a', 'b'], { axis: attr.i(0), num_outputs: attr.i(1e9) }]],
      outputs: ['a', 'b'],
      opset: 18,
    });
    expect(inferShapes(m).unknown.map((u) => u.reason).join(' ')).toContain('num_outputs is 1000000000 for 2 outputs');
  });
});
