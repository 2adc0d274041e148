import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { isQtkError } from '@qtk/core';
import { DIGITS_MODEL } from './test-support/digits.js';
import { InferenceSession, Tensor } from './index.js';
import { int, ints, oneNodeModel, str } from './test-support/graphs.js';

const bytes = readFileSync(DIGITS_MODEL);
const good = () => new Tensor('float32', new Float32Array(64).fill(0.5), [1, 1, 8, 8]);

describe('bad models fail at create with typed errors', () => {
  it('a truncated model is E_ONNX_DECODE', async () => {
    await expect(InferenceSession.create(bytes.subarray(0, bytes.length >> 1))).rejects.toSatisfy((e) => isQtkError(e, 'E_ONNX_DECODE'));
  });

  it('an unsupported op is E_UNSUPPORTED naming the node and op', async () => {
    const m = oneNodeModel('Softsign', [{ name: 'x', type: 'float32', dims: [2], data: [1, 2] }]);
    await expect(InferenceSession.create(m)).rejects.toSatisfy((e) => isQtkError(e, 'E_UNSUPPORTED') && e.where.node === 'n0' && /Softsign/.test(e.message));
  });

  it('an attribute value outside its op schema is E_ATTRIBUTE naming node and attribute', async () => {
    const m = oneNodeModel('Conv', [{ name: 'x', type: 'float32', dims: [1, 1, 4, 4], data: new Array(16).fill(0) }, { name: 'w', type: 'float32', dims: [1, 1, 3, 3], data: new Array(9).fill(1), init: true }], { auto_pad: str('BOGUS') });
    await expect(InferenceSession.create(m)).rejects.toSatisfy((e) => isQtkError(e, 'E_ATTRIBUTE') && e.where.node === 'n0' && e.where.attribute === 'auto_pad');
  });

  it('an attribute value the engine does not run is E_UNSUPPORTED at create for static shapes', async () => {
    const ge = oneNodeModel('Gelu', [{ name: 'x', type: 'float32', dims: [2, 3], data: new Array(6).fill(0) }], { approximate: str('tanh') }, { opset: 20 });
    await expect(InferenceSession.create(ge)).rejects.toSatisfy((e) => isQtkError(e, 'E_UNSUPPORTED') && /approximate/.test(e.message));
    const mp = oneNodeModel('MaxPool', [{ name: 'x', type: 'float32', dims: [1, 1, 4, 4, 4], data: new Array(64).fill(0) }], { kernel_shape: ints([2, 2, 2]) });
    await expect(InferenceSession.create(mp)).rejects.toSatisfy((e) => isQtkError(e, 'E_UNSUPPORTED') && e.where.node === 'n0');
  });

  it('an axis attribute out of range of a graph input is E_ATTRIBUTE at create, an axes input E_SHAPE', async () => {
    const x = { name: 'x', type: 'float32' as const, dims: [2, 3], data: [1, 2, 3, 4, 5, 6] };
    const idx = { name: 'i', type: 'int64' as const, dims: [2, 3], data: [0, 0, 0, 0, 0, 0] };
    const models = [
      oneNodeModel('GatherElements', [x, idx], { axis: int(2) }),
      oneNodeModel('ArgMax', [x], { axis: int(-3) }),
      oneNodeModel('Flatten', [x], { axis: int(3) }),
    ];
    for (const m of models) {
      await expect(InferenceSession.create(m)).rejects.toSatisfy((e) => isQtkError(e, 'E_ATTRIBUTE') && e.where.node === 'n0' && e.where.attribute === 'axis' && /axis -?\d+, out of range .* rank 2/.test((e as Error).message));
    }
    const reduce = oneNodeModel('ReduceSum', [x, { name: 'axes', type: 'int64', dims: [1], data: [2], init: true }]);
    await expect(InferenceSession.create(reduce)).rejects.toSatisfy((e) => isQtkError(e, 'E_SHAPE') && e.where.node === 'n0' && /axis 2 out of range for rank 2/.test((e as Error).message));
  });

  it('a missing file is E_IO', async () => {
    await expect(InferenceSession.create('/nonexistent/model.onnx')).rejects.toSatisfy((e) => isQtkError(e, 'E_IO'));
  });
});

describe('bad feeds fail with typed errors and the session keeps working', () => {
  it('wrong dims, wrong type, missing and unknown feeds', async () => {
    const s = await InferenceSession.create(DIGITS_MODEL);
    const ref = (await s.run({ input: good() })).logits!.data as Float32Array;
    await expect(s.run({ input: new Tensor('float32', new Float32Array(49), [1, 1, 7, 7]) })).rejects.toSatisfy((e) => isQtkError(e, 'E_SHAPE') && e.where.tensor === 'input');
    await expect(s.run({ input: new Tensor('float32', new Float32Array(64), [1, 64]) })).rejects.toSatisfy((e) => isQtkError(e, 'E_SHAPE'));
    await expect(s.run({ input: new Tensor('int32', new Int32Array(64), [1, 1, 8, 8]) })).rejects.toSatisfy((e) => isQtkError(e, 'E_DTYPE') && e.where.tensor === 'input');
    await expect(s.run({})).rejects.toSatisfy((e) => isQtkError(e, 'E_SHAPE') && /missing/.test((e as Error).message));
    await expect(s.run({ input: good(), other: good() })).rejects.toSatisfy((e) => isQtkError(e, 'E_SHAPE') && e.where.tensor === 'other');
    const again = (await s.run({ input: good() })).logits!.data as Float32Array;
    expect(Array.from(again)).toEqual(Array.from(ref));
  });

  it('Tensor construction rejects storage that does not match type or dims', () => {
    expect(() => new Tensor('float32', new Float32Array(5), [2, 3])).toThrow(/does not fit/);
    expect(() => new Tensor('float32', new Int32Array(6) as never, [2, 3])).toThrow(/Float32Array/);
  });

  it('a runtime index out of range is a typed error and the session still runs', async () => {
    const m = oneNodeModel('Gather', [{ name: 'x', type: 'float32', dims: [3, 2], data: [1, 2, 3, 4, 5, 6] }, { name: 'i', type: 'int64', dims: [1], data: [0] }]);
    const s = await InferenceSession.create(m);
    const x = new Tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6]), [3, 2]);
    await expect(s.run({ x, i: new Tensor('int64', BigInt64Array.of(5n), [1]) })).rejects.toSatisfy((e) => isQtkError(e, 'E_SHAPE') && e.where.node === 'n0');
    const y = await s.run({ x, i: new Tensor('int64', BigInt64Array.of(-1n), [1]) });
    expect(Array.from(y.y0!.data as Float32Array)).toEqual([5, 6]);
  });
});

describe('API', () => {
  it('exposes input and output names and accepts ArrayBuffer and path', async () => {
    const a = await InferenceSession.create(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const b = await InferenceSession.create(DIGITS_MODEL);
    expect(a.inputNames).toEqual(['input']);
    expect(b.outputNames).toEqual(['logits']);
    const y = await a.run({ input: good() });
    expect(y.logits!.type).toBe('float32');
    expect(y.logits!.dims).toEqual([1, 10]);
  });
});
