/**
 * Calibration through in-model reductions on the executor: the reduction outputs
 * (extremes, strided samples with a moving start) are what they claim, MinMax stays
 * exact, sampled histograms stay close to counting every value, batches with
 * non-finite values and runtimes that refuse the reductions fall back to whole tensors.
 */
import { expect } from 'vitest';
import {
  HistogramObserver, Tensor, calibrate, concatRows, createGraph, createModel, createObserver, sampleStride, withReductionOutputs,
  type Executor, type Feeds, type Model, type Observer,
} from '../../index.js';
import type { SuiteContext } from '../context.js';
import { randomTensor } from '../random.js';

const DIMS = [1, 3, 8, 10];

/** x → Mul(x, y) = a → Relu → b; `a` is the observed value. `batch` names a symbolic batch dim. */
function model(batch?: string): Model {
  const g = createGraph();
  const shape = batch ? [batch, ...DIMS.slice(1)] : DIMS;
  for (const n of ['x', 'y']) g.inputs.push({ name: n, type: { kind: 'tensor', dtype: 'float32', shape } });
  g.outputs.push({ name: 'b', type: { kind: 'tensor', dtype: 'float32', shape } });
  g.valueInfo.set('a', { name: 'a', type: { kind: 'tensor', dtype: 'float32', shape } });
  g.nodes.push({ name: 'mul', opType: 'Mul', domain: '', inputs: ['x', 'y'], outputs: ['a'], attributes: [] });
  g.nodes.push({ name: 'relu', opType: 'Relu', domain: '', inputs: ['a'], outputs: ['b'], attributes: [] });
  return createModel(g, 13);
}

const ones = () => new Tensor('float32', new Float32Array(240).fill(1), DIMS);
/** Batches of seeded normal-ish values with one large value at a fixed position. */
function batches(n: number, outlier = 40): Feeds[] {
  return Array.from({ length: n }, (_, b) => {
    const x = randomTensor(DIMS, 100 + b);
    (x.data as Float32Array)[37] = outlier;
    return { x, y: ones() };
  });
}

async function observe(executor: Executor, kind: 'minmax' | 'entropy' | 'percentile', sampleLimit: number, data: Feeds[]): Promise<Observer> {
  const config = kind === 'minmax' ? { kind: 'minmax' as const } : { kind: 'histogram' as const, strategy: kind };
  const obs = createObserver(config, { tensor: 'a' });
  await calibrate({ model: model(), executor, batches: data, observers: new Map([['a', obs]]), sampleLimit });
  return obs;
}

/** Registers the reductions suite. */
export function reductionsSuite(t: SuiteContext): void {
  t.describe('reductions inside the model', (s) => reductions(s));
}

function reductions(s: SuiteContext): void {
  const executor = s.executor;
  s.it('sampleStride keeps at most the limit and shares no factor with any dimension', () => {
    expect(sampleStride(240, 240, DIMS)).toBe(1);
    const s = sampleStride(240, 7, DIMS);
    expect(s).toBe(37); // ceil(240 / 7) = 35, 36 share factors with 10 and 3
    expect(Math.ceil(240 / s)).toBeLessThanOrEqual(7);
    expect(sampleStride(40 * 120, 1000, [1, 40, 120])).toBe(7); // 5 and 6 share factors with 40 or 120
  });

  s.it('outputs exact extremes and every stride-th element from phase mod stride', async () => {
    const m = model();
    const before = JSON.stringify([...m.graph.nodes.map((n) => n.name), m.graph.inputs.length, m.graph.outputs.length]);
    const r = withReductionOutputs(m, new Map([['a', { extremes: true, stride: 37 }]]));
    expect(JSON.stringify([...m.graph.nodes.map((n) => n.name), m.graph.inputs.length, m.graph.outputs.length])).toBe(before);
    const names = r.names.get('a')!;
    const session = await executor.createSession(r.model);
    const x = randomTensor(DIMS, 7);
    const a = x.data as Float32Array;
    for (const phase of [0, 5, 40]) {
      const out = await session.run({ x, y: ones(), [r.phase!]: Tensor.int64([phase]) }, [names.min!, names.max!, names.sample!]);
      const want: number[] = [];
      for (let i = phase % 37; i < a.length; i += 37) want.push(a[i]!);
      expect([...(out[names.sample!]!.data as Float32Array)]).toEqual(want);
      expect(out[names.min!]!.get(0)).toBe(Math.min(...a));
      expect(out[names.max!]!.get(0)).toBe(Math.max(...a));
    }
    await session.release();
  });

  s.it('the sample of an element-wise node over sampled values of its shape is that node on their samples: the same numbers, no reader of the whole value', async () => {
    const m = model();
    // c = b + per-channel constant: broadcasting moves positions, so c is sampled from the whole value.
    m.graph.initializers.set('bias', new Tensor('float32', new Float32Array([1, 2, 3]), [3, 1, 1]));
    m.graph.nodes.push({ name: 'bias_add', opType: 'Add', domain: '', inputs: ['b', 'bias'], outputs: ['c'], attributes: [] });
    m.graph.outputs.push({ name: 'c', type: { kind: 'tensor', dtype: 'float32', shape: DIMS } });
    const req = { stride: 37, shape: DIMS };
    const r = withReductionOutputs(m, new Map([['a', req], ['b', req], ['c', req]]));
    expect(r.names.get('a')!.derived).toBeFalsy();
    expect(r.names.get('b')!.derived).toBe(true);
    expect(r.names.get('c')!.derived).toBeFalsy();
    // Only a and c are read whole by the reductions (one Reshape each); b's sample is Relu of a's.
    const readers = (v: string) => r.model.graph.nodes.filter((n) => n.inputs.includes(v) && n.name.includes('qtk')).length;
    expect([readers('a'), readers('b'), readers('c')]).toEqual([1, 0, 1]);
    const session = await executor.createSession(r.model);
    const x = randomTensor(DIMS, 9), y = randomTensor(DIMS, 10);
    const xa = x.data as Float32Array, ya = y.data as Float32Array;
    for (const phase of [0, 12]) {
      const names = [...r.names.values()].map((n) => n.sample!);
      const out = await session.run({ x, y, [r.phase!]: Tensor.int64([phase]) }, names);
      const want = { a: [] as number[], b: [] as number[], c: [] as number[] };
      for (let i = phase % 37; i < xa.length; i += 37) {
        const a = Math.fround(xa[i]! * ya[i]!);
        want.a.push(a); want.b.push(Math.max(a, 0)); want.c.push(Math.fround(Math.max(a, 0) + [1, 2, 3][Math.floor(i / 80)]!));
      }
      for (const v of ['a', 'b', 'c'] as const) expect([...(out[r.names.get(v)!.sample!]!.data as Float32Array)]).toEqual(want[v]);
    }
    await session.release();
  });

  s.it('MinMax from in-model extremes equals MinMax over whole tensors exactly', async () => {
    const data = batches(5);
    const reduced = await observe(executor, 'minmax', 16, data);
    const whole = await observe(executor, 'minmax', 0, data);
    expect(reduced.range()).toEqual(whole.range());
    expect(reduced.stats().batches).toBe(5);
  });

  s.it('a histogram whose values fit the limit counts every value, as without sampling', async () => {
    const data = batches(4);
    const a = await observe(executor, 'percentile', 1 << 20, data);
    const b = await observe(executor, 'percentile', 0, data);
    expect(a.range()).toEqual(b.range());
  });

  s.it('sampled histograms see a fixed-position outlier through the moving start and stay close to counting every value', async () => {
    const data = batches(40);
    for (const kind of ['entropy', 'percentile'] as const) {
      const sampled = await observe(executor, kind, 24, data); // stride 11 on 240 values
      const whole = await observe(executor, kind, 0, data);
      const rs = sampled.range(), rw = whole.range();
      const width = rw.max[0]! - rw.min[0]!;
      expect(Math.abs(rs.max[0]! - rw.max[0]!)).toBeLessThan(0.15 * width);
      expect(Math.abs(rs.min[0]! - rw.min[0]!)).toBeLessThan(0.15 * width);
    }
    // The outlier at position 37 is sampled in the batches whose start is 37 mod 11 = 4.
    const sampled = (await observe(executor, 'percentile', 24, data)) as HistogramObserver;
    expect(sampled.histogram.extent.max).toBe(40);
    // Each sampled value counts 11 times: about the 40 x 240 values seen.
    let want = 0;
    for (let b = 0; b < 40; b++) want += 11 * Math.ceil((240 - (b % 11)) / 11);
    expect(sampled.histogram.total).toBe(want);
    expect(Math.abs(want - 40 * 240)).toBeLessThan(40 * 11);
  });

  s.it('the sampling budget counts per sample: batches of 8 sample as many values per sample as batches of 1, and give the same range within sampling noise', async () => {
    const data = batches(40);
    const rows = (k: number) => {
      const out: Feeds[] = [];
      for (let b = 0; b < data.length; b += k) {
        const part = data.slice(b, b + k);
        out.push({ x: concatRows(part.map((f) => f.x!)), y: concatRows(part.map((f) => f.y!)) });
      }
      return out;
    };
    const run = async (k: number) => {
      const obs = createObserver({ kind: 'histogram', strategy: 'percentile' }, { tensor: 'a' });
      let values = 0;
      const update = obs.updateReduced!.bind(obs);
      obs.updateReduced = (b) => { values += b.sample!.length; update(b); };
      await calibrate({ model: model('N'), executor, batches: rows(k), observers: new Map([['a', obs]]), sampleLimit: 24 });
      return { values, range: obs.range() };
    };
    const one = await run(1), eight = await run(8);
    expect(one.values).toBeGreaterThan(0);
    // About 240 / 11 values per sample either way (a per-batch budget would give batches of 8 an eighth of that).
    expect(Math.abs(eight.values - one.values)).toBeLessThan(0.1 * one.values);
    const width = one.range.max[0]! - one.range.min[0]!;
    expect(Math.abs(eight.range.max[0]! - one.range.max[0]!)).toBeLessThan(0.1 * width);
    expect(Math.abs(eight.range.min[0]! - one.range.min[0]!)).toBeLessThan(0.1 * width);
  });

  s.it('a batch with ±Infinity in a reduced value is observed whole, skipping the non-finite values', async () => {
    const data = batches(3);
    const y = ones();
    (y.data as Float32Array)[3] = Infinity; // a = x * y holds +/-Infinity at position 3
    data[1] = { x: data[1]!.x!, y };
    const reduced = await observe(executor, 'minmax', 16, data);
    const whole = await observe(executor, 'minmax', 0, data);
    expect(reduced.range()).toEqual(whole.range());
    expect(Number.isFinite(reduced.range().max[0]!)).toBe(true);
    expect(reduced.stats().skippedNonFinite).toBe(1);
  });

  s.it('a runtime that refuses the reductions gets the plain model and whole tensors', async () => {
    const refusing: Executor = {
      name: 'refusing',
      async createSession(m, options) {
        if (m.graph.nodes.some((n) => n.opType === 'ReduceMin' || n.opType === 'Slice')) throw new Error('unsupported op');
        return executor.createSession(m, options);
      },
    };
    const data = batches(3);
    const a = await observe(refusing, 'minmax', 16, data);
    const b = await observe(executor, 'minmax', 0, data);
    expect(a.range()).toEqual(b.range());
  });
}
