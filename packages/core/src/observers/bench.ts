/**
 * Micro benchmark (not a test): ns per element of observer updates on 10M floats,
 * and the cost of each histogram strategy's range search.
 * Run: npx tsx --conditions=@qtk/source packages/core/src/observers/bench.ts
 */
import { Tensor } from '../ir/tensor.js';
import { createObserver } from './create.js';
import type { Observer } from './observer.js';
import type { ObserverConfig } from '../spec/quantSpec.js';

const N = 10_000_000;
const BATCHES = 5;

/** Seeded normal values (xorshift32 + Box-Muller), with a few large outliers. */
function data(seed: number): Float32Array {
  const out = new Float32Array(N);
  let s = seed >>> 0 || 1;
  const u = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s + 0.5) / 4294967296; };
  for (let i = 0; i < N; i += 2) {
    const r = Math.sqrt(-2 * Math.log(u())), t = 2 * Math.PI * u();
    out[i] = r * Math.cos(t);
    if (i + 1 < N) out[i + 1] = r * Math.sin(t);
  }
  for (let i = 0; i < 10; i++) out[Math.floor(u() * N)] = (u() - 0.5) * 200;
  return out;
}

const batches = Array.from({ length: BATCHES }, (_, b) => new Tensor('float32', data(b + 1), [10, N / 10]));

/** Best-of-batches ns/element of `fn` over every batch. */
function nsPerElement(fn: (x: Float32Array) => void): number {
  fn(batches[0]!.data as Float32Array); // warm-up
  let best = Infinity;
  for (const b of batches) {
    const t0 = performance.now();
    fn(b.data as Float32Array);
    best = Math.min(best, performance.now() - t0);
  }
  return (best * 1e6) / N;
}

let sink = 0;
const baseline = nsPerElement((x) => { let t = 0; for (let i = 0; i < x.length; i++) t += x[i]!; sink += t; });
console.log(`${'sum loop'.padEnd(12)} ${baseline.toFixed(2)} ns/element (reference: one read of each float)`);
const configs: [string, ObserverConfig][] = [
  ['minmax', { kind: 'minmax' }],
  ['meanMinMax', { kind: 'meanMinMax' }],
  ['histogram', { kind: 'histogram', strategy: 'entropy' }],
];
for (const [name, config] of configs) {
  const obs: Observer = createObserver(config, { tensor: 'x' });
  const ns = nsPerElement((x) => obs.update(new Tensor('float32', x, [x.length])));
  console.log(`${name.padEnd(12)} ${ns.toFixed(2)} ns/element update (best of ${BATCHES} batches of ${N} floats; ${(ns / baseline).toFixed(1)}x the sum loop)`);
}
for (const strategy of ['entropy', 'percentile', 'mse'] as const) {
  const obs = createObserver({ kind: 'histogram', strategy }, { tensor: 'x' });
  for (const b of batches) obs.update(b);
  let r = obs.range();
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    r = obs.range();
    best = Math.min(best, performance.now() - t0);
  }
  console.log(`${strategy.padEnd(12)} range() ${best.toFixed(2)} ms (best of 5) -> [${r.min[0]!.toFixed(4)}, ${r.max[0]!.toFixed(4)}]`);
}
console.log(`(checksum ${sink.toFixed(3)})`);
