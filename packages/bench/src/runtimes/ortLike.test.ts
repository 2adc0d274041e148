import { describe, expect, it } from 'vitest';
import { isQtkError, Tensor } from '@qtk/core';
import { matMulReluModel } from '../tinyModel.js';
import { executorFromOrtLikeModule, findExecutorExport } from './ortLike.js';
import { qtkWasmRuntime } from './qtkWasm.js';

class FakeTensor {
  constructor(readonly type: string, readonly data: Float32Array, readonly dims: readonly number[]) {}
}

const ortLike = {
  Tensor: FakeTensor,
  InferenceSession: {
    async create(bytes: Uint8Array) {
      if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw new Error('no bytes');
      return {
        inputNames: ['x'],
        outputNames: ['y'],
        async run(feeds: Record<string, FakeTensor>) {
          const x = feeds.x!;
          return { y: new FakeTensor('float32', x.data.map((v) => v * 2), x.dims) };
        },
      };
    },
  },
};

describe('runtime modules loaded at run time', () => {
  it('prefers an exported executor plugin', () => {
    const exec = { name: 'eng', kind: 'executor', createSession: async () => { throw new Error('unused'); } };
    expect(findExecutorExport({ helper: 1, wasmExecutor: exec })).toBe(exec);
    expect(findExecutorExport({ InferenceSession: ortLike.InferenceSession })).toBeUndefined();
  });

  it('adapts an onnxruntime-shaped module into an executor that converts tensors both ways', async () => {
    const exec = executorFromOrtLikeModule(ortLike, 'fake-wasm', 'fake');
    const s = await exec.createSession(matMulReluModel());
    const out = await s.run({ x: new Tensor('float32', new Float32Array([1, -3]), [1, 2]) });
    expect(out.y!.dtype).toBe('float32');
    expect([...(out.y!.data as Float32Array)]).toEqual([2, -6]);
    await s.release();
  });

  it('passes the requested outputs to the module\'s run and releases sessions of a module that has no release()', async () => {
    const fetched: Array<readonly string[] | undefined> = [];
    const mod = {
      Tensor: FakeTensor,
      InferenceSession: {
        async create() {
          return {
            inputNames: ['x'],
            outputNames: ['y'],
            async run(feeds: Record<string, FakeTensor>, fetches?: readonly string[]) {
              fetched.push(fetches);
              return { y: feeds.x! };
            },
          };
        },
      },
    };
    const s = await executorFromOrtLikeModule(mod, 'fake', 'fake').createSession(matMulReluModel());
    await s.run({ x: new Tensor('float32', new Float32Array([1, -3]), [1, 2]) }, ['y']);
    expect(fetched).toEqual([['y']]);
    await expect(s.release()).resolves.toBeUndefined();
  });

  it('fails with E_EXECUTOR naming an output the module did not return', async () => {
    const mod = {
      Tensor: FakeTensor,
      InferenceSession: { async create() { return { inputNames: ['x'], outputNames: ['y'], async run() { return {}; } }; } },
    };
    const s = await executorFromOrtLikeModule(mod, 'fake', 'fake').createSession(matMulReluModel());
    let err: unknown;
    try { await s.run({ x: new Tensor('float32', new Float32Array([1, -3]), [1, 2]) }); } catch (e) { err = e; }
    expect(isQtkError(err, 'E_EXECUTOR')).toBe(true);
    expect(String((err as Error).message) + String((err as { cause?: Error }).cause?.message)).toMatch(/no output 'y'/);
  });

  it('names the exports when a module has neither an executor nor InferenceSession and Tensor', () => {
    let err: unknown;
    try { executorFromOrtLikeModule({ add: () => 0, mul: () => 0 }, 'x', '@qtk/x'); } catch (e) { err = e; }
    expect(isQtkError(err, 'E_PLUGIN')).toBe(true);
    expect((err as Error).message).toMatch(/exports: add, mul/);
  });

  it('fails to load with the import error when the engine package is missing', async () => {
    const r = qtkWasmRuntime({ specifier: '@qtk/no-such-engine' });
    await expect(r.load()).rejects.toThrow(/cannot import '@qtk\/no-such-engine'/);
    expect(await r.version!()).toBeUndefined();
  });
});
