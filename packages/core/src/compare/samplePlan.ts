/**
 * Which compared tensor pairs a comparison reads as samples (`withSampleOutputs`)
 * rather than whole: those larger than the sample limit whose size both models' shape
 * inference agrees on, so that both sides sample the same element positions.
 */
import type { Model } from '../ir/graph.js';
import { sampleStride } from '../exec/reductionOutputs.js';
import type { SampleRequest } from '../exec/sampleOutputs.js';
import { staticValueShapes } from '../shape/valueShapes.js';
import type { Feeds } from '../pipeline/types.js';
import { samplesIn } from '../pipeline/feedSamples.js';
import type { TensorPair } from './probes.js';

/** Sample requests per model, and which pairs (by index) are read as samples. */
export interface SamplePlan {
  reference: Map<string, SampleRequest>;
  candidate: Map<string, SampleRequest>;
  sampled: Set<number>;
}

/**
 * Plans samples of at most `limit` elements per sample of `feeds` (the first batch,
 * whose input shapes fix the value shapes) for `pairs`, leaving out the pairs in
 * `whole`, graph inputs and values of unknown or differing size.
 */
export function planSamples(reference: Model, candidate: Model, pairs: readonly TensorPair[], feeds: Feeds, limit: number, whole: ReadonlySet<number> = new Set()): SamplePlan {
  const plan: SamplePlan = { reference: new Map(), candidate: new Map(), sampled: new Set() };
  if (!(limit > 0)) return plan;
  const dims = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, t.dims]));
  const refShapes = staticValueShapes(reference, dims);
  const candShapes = staticValueShapes(candidate, dims);
  const inputs = new Set([...reference.graph.inputs, ...candidate.graph.inputs].map((v) => v.name));
  const budget = limit * samplesIn(feeds);
  const fits = (map: Map<string, SampleRequest>, name: string, r: SampleRequest) => {
    const have = map.get(name);
    return !have || (have.count === r.count && have.stride === r.stride);
  };
  pairs.forEach((p, i) => {
    if (whole.has(i) || inputs.has(p.reference) || inputs.has(p.candidate)) return;
    const shape = refShapes.get(p.reference)?.shape;
    const other = candShapes.get(p.candidate)?.shape;
    if (!shape || !other) return;
    const count = shape.reduce((a, d) => a * d, 1);
    if (other.reduce((a, d) => a * d, 1) !== count) return;
    const stride = sampleStride(count, budget, shape);
    if (stride <= 1) return;
    const r = { count, stride };
    if (!fits(plan.reference, p.reference, r) || !fits(plan.candidate, p.candidate, r)) return;
    plan.reference.set(p.reference, r);
    plan.candidate.set(p.candidate, r);
    plan.sampled.add(i);
  });
  return plan;
}
