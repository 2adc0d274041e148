import { describe, expect, it } from 'vitest';
import { isQtkError } from '../errors/QtkError.js';
import { Tensor } from '../ir/tensor.js';
import { computeQParams } from '../quant/qparams.js';
import { PLUGIN_API_VERSION } from '../registry/registry.js';
import { type ObserverConfig, PER_TENSOR, quantSpec } from '../spec/quantSpec.js';
import { BUILTIN_OBSERVERS, createObserver, observerFromJSON } from './create.js';
import { MinMaxObserver } from './minmax.js';
import { seeded } from './test-support/seeded.js';

const CONFIGS: ObserverConfig[] = [
  { kind: 'minmax' },
  { kind: 'movingAverageMinMax', averagingConstant: 0.1 },
  { kind: 'meanMinMax' },
  { kind: 'histogram', strategy: 'entropy' },
  { kind: 'histogram', strategy: 'percentile', percentile: 99.9 },
  { kind: 'histogram', strategy: 'mse', bins: 512 },
];

const spec = (observer: ObserverConfig) => quantSpec({ dtype: 'uint8', symmetric: false, granularity: PER_TENSOR, observer });

describe('built-in observers', () => {
  it('are observer plugins of the current API version', () => {
    for (const [kind, p] of Object.entries(BUILTIN_OBSERVERS)) {
      expect(p.kind, kind).toBe('observer');
      expect(p.apiVersion, kind).toBe(PLUGIN_API_VERSION);
    }
  });

  for (const config of CONFIGS) {
    const label = config.kind === 'histogram' ? `histogram/${config.strategy}` : config.kind;
    it(`${label}: state survives toJSON → JSON text → observerFromJSON, with the same qparams`, () => {
      const r = seeded(41);
      const obs = createObserver(config, { tensor: 'act' });
      for (let b = 0; b < 3; b++) obs.update(new Tensor('float32', r.fill(4000, () => r.normal() * (b + 1) + 0.5), [4, 1000]));
      const back = observerFromJSON(JSON.parse(JSON.stringify(obs.toJSON())));
      expect(back.kind).toBe(obs.kind);
      expect(back.stats()).toEqual(obs.stats());
      expect(back.range()).toEqual(obs.range());
      const q = obs.calcQParams(spec(config));
      expect(back.calcQParams(spec(config))).toEqual(q);
      // The range contains 0 and quantizes to a positive scale.
      expect(q.scale[0]).toBeGreaterThan(0);
    });
  }

  it('MinMax calcQParams equals computeQParams of its range', () => {
    const o = new MinMaxObserver('x');
    o.update(new Tensor('float32', Float32Array.of(-1, 0.5, 3, 2), [4]));
    const s = spec({ kind: 'minmax' });
    expect(o.calcQParams(s)).toEqual(computeQParams([-1], [3], s));
  });

  it('calcQParams of a per-channel observer with a per-tensor spec is E_OBSERVER naming the tensor', () => {
    const o = createObserver({ kind: 'minmax' }, { tensor: 'w', axis: 0 });
    o.update(new Tensor('float32', Float32Array.of(1, 2, 3, 4), [2, 2]));
    let err: unknown;
    try { o.calcQParams(spec({ kind: 'minmax' })); } catch (e) { err = e; }
    expect(isQtkError(err, 'E_OBSERVER')).toBe(true);
    expect((err as { where: { tensor?: string } }).where.tensor).toBe('w');
  });

  it('observerFromJSON of an unknown kind is E_OBSERVER', () => {
    let err: unknown;
    try { observerFromJSON({ kind: 'nope', tensor: 't' }); } catch (e) { err = e; }
    expect(isQtkError(err, 'E_OBSERVER')).toBe(true);
  });
});
