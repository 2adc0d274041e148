import { describe, expect, it } from 'vitest';
import { createGraph, createModel } from '../ir/graph.js';
import { Tensor } from '../ir/tensor.js';
import type { Executor, SessionOptions } from '../exec/executor.js';
import { createObserver } from '../observers/create.js';
import { calibrate, type QuantizeStage } from './calibrate.js';

describe('calibrate', () => {
  it('times session creation once and each batch\'s run and observer updates, and turns spinning off', async () => {
    const seen: SessionOptions[] = [];
    const executor: Executor = {
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
    const model = createModel(createGraph());
    const observers = new Map([['a', createObserver({ kind: 'minmax' }, { tensor: 'a' })]]);
    const batches = [1, 2, 3].map((v) => ({ x: new Tensor('float32', Float32Array.of(-v, v), [1, 2]) }));
    const stages: QuantizeStage[] = [];
    const r = await calibrate(model, executor, batches, observers, undefined, undefined, (stage, ms) => { expect(ms).toBeGreaterThanOrEqual(0); stages.push(stage); });
    expect(r).toMatchObject({ batches: 3, samples: 3 });
    expect(stages).toEqual(['session', 'run', 'observe', 'run', 'observe', 'run', 'observe']);
    expect(seen).toEqual([{ extraOutputs: ['a'], spinning: false, lowMemory: true }]);
    expect(observers.get('a')!.range()).toEqual({ min: Float32Array.of(-3), max: Float32Array.of(3) });
  });
});
