import { describe, expect, it } from 'vitest';
import { createGraph, createModel } from '../ir/graph.js';
import { Tensor } from '../ir/tensor.js';
import type { Executor, SessionOptions } from '../exec/executor.js';
import { createObserver } from '../observers/create.js';
import { calibrate, type QuantizeStage } from './calibrate.js';
import type { Progress } from './types.js';

/** An executor whose sessions return input `x` for every fetched name. */
function echoExecutor(seen: SessionOptions[] = []): Executor {
  return {
    name: 'fake',
    async createSession(_m, options = {}) {
      seen.push(options);
      return {
        inputNames: ['x'], outputNames: ['y'],
        async run(feeds, fetches = []) {
          return Object.fromEntries(fetches.map((n) => [n, feeds.x!]));
        },
        async release() {},
      };
    },
  };
}

describe('calibrate', () => {
  it('times session creation once and each batch\'s run and observer updates, and turns spinning off', async () => {
    const seen: SessionOptions[] = [];
    const executor = echoExecutor(seen);
    const model = createModel(createGraph());
    const observers = new Map([['a', createObserver({ kind: 'minmax' }, { tensor: 'a' })]]);
    const batches = [1, 2, 3].map((v) => ({ x: new Tensor('float32', Float32Array.of(-v, v), [1, 2]) }));
    const stages: QuantizeStage[] = [];
    const r = await calibrate({ model, executor, batches, observers, profile: (stage, ms) => { expect(ms).toBeGreaterThanOrEqual(0); stages.push(stage); } });
    expect(r).toMatchObject({ batches: 3, samples: 3 });
    expect(stages).toEqual(['session', 'run', 'observe', 'run', 'observe', 'run', 'observe']);
    expect(seen).toEqual([{ extraOutputs: ['a'], spinning: false, lowMemory: true }]);
    expect(observers.get('a')!.range()).toEqual({ min: Float32Array.of(-3), max: Float32Array.of(3) });
  });

  it('takes its inputs as one options object: progress counts batches against totalBatches, samples by rows', async () => {
    const observers = new Map([['a', createObserver({ kind: 'minmax' }, { tensor: 'a' })]]);
    const batches = [2, 3].map((rows) => ({ x: new Tensor('float32', new Float32Array(rows * 2).fill(rows), [rows, 2]) }));
    const progress: Progress[] = [];
    const r = await calibrate({ model: createModel(createGraph()), executor: echoExecutor(), batches, observers, totalBatches: 2, onProgress: (p) => progress.push(p) });
    expect(r).toMatchObject({ batches: 2, samples: 5 });
    expect(progress).toEqual([{ phase: 'calibrate', done: 1, total: 2, samples: 2 }, { phase: 'calibrate', done: 2, total: 2, samples: 5 }]);
    expect(observers.get('a')!.range()).toEqual({ min: Float32Array.of(2), max: Float32Array.of(3) });
  });

  it('refuses empty calibration data (E_CALIB_DATA)', async () => {
    await expect(calibrate({ model: createModel(createGraph()), executor: echoExecutor(), batches: [], observers: new Map() })).rejects.toThrow(/calibration data is empty/);
  });
});
