import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { Tensor } from '../ir/tensor.js';
import { encodeModel } from '../onnx/encode.js';
import { attr, model } from '../shape/test-support/build.js';
import { cloneModel } from './clone.js';
import { foldBatchNorm } from './foldBatchNorm.js';

/** Deterministic pseudo-random floats in [lo, hi). */
function rand(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((s >>> 8) / 2 ** 24) * (hi - lo);
  }
  return out;
}

/** Naive 2-D convolution (NCHW, OIHW, groups, symmetric pads, stride), float64 accumulation. */
function conv2d(x: Float32Array, xd: number[], w: Float32Array, wd: number[], b: Float32Array | undefined, pad: number, stride: number, group: number): { y: Float64Array; dims: number[] } {
  const [n, c, h, wi] = xd as [number, number, number, number];
  const [m, cg, kh, kw] = wd as [number, number, number, number];
  const oh = Math.floor((h + 2 * pad - kh) / stride) + 1;
  const ow = Math.floor((wi + 2 * pad - kw) / stride) + 1;
  const y = new Float64Array(n * m * oh * ow);
  const mg = m / group;
  for (let bi = 0; bi < n; bi++) for (let o = 0; o < m; o++) {
    const g = Math.floor(o / mg);
    for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) {
      let acc = b ? b[o]! : 0;
      for (let ci = 0; ci < cg; ci++) for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) {
        const yy = i * stride - pad + u;
        const xx = j * stride - pad + v;
        if (yy < 0 || yy >= h || xx < 0 || xx >= wi) continue;
        acc += x[((bi * c + g * cg + ci) * h + yy) * wi + xx]! * w[((o * cg + ci) * kh + u) * kw + v]!;
      }
      y[((bi * m + o) * oh + i) * ow + j] = acc;
    }
  }
  return { y, dims: [n, m, oh, ow] };
}

function batchNorm(y: Float64Array, dims: number[], p: Record<'s' | 'b' | 'mu' | 'v', Float32Array>, eps: number): Float64Array {
  const [, m, h, w] = dims as [number, number, number, number];
  const out = new Float64Array(y.length);
  for (let k = 0; k < y.length; k++) {
    const o = Math.floor(k / (h * w)) % m;
    out[k] = ((y[k]! - p.mu[o]!) / Math.sqrt(p.v[o]! + eps)) * p.s[o]! + p.b[o]!;
  }
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 1e-5, abs = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!) - rel * Math.abs(expected[i]!);
    worst = Math.max(worst, err);
  }
  expect(worst).toBeLessThanOrEqual(abs);
}

const bnParams = (c: number, seed: number) => ({
  s: rand(c, seed, 0.5, 2), b: rand(c, seed + 1), mu: rand(c, seed + 2), v: rand(c, seed + 3, 0.1, 3),
});
const f32 = (dims: number[], d: Float32Array) => Tensor.fromFloat32(d, dims);

describe('foldBatchNorm', () => {
  it.each([
    { name: 'with a bias', bias: true, group: 1 },
    { name: 'without a bias (one is created)', bias: false, group: 1 },
    { name: 'grouped', bias: true, group: 2 },
  ])('folds Conv+BN $name into weights matching a naive Conv then BN to 1e-5 relative', ({ bias, group }) => {
    const xd = [2, 4, 7, 6];
    const wd = [6, 4 / group, 3, 3];
    const eps = 1e-3;
    const x = rand(2 * 4 * 7 * 6, 1);
    const w = rand(6 * (4 / group) * 9, 2);
    const b = rand(6, 3);
    const p = bnParams(6, 10);
    const m = model({
      inputs: [['x', 'float32', xd]],
      initializers: { w: f32(wd, w), ...(bias ? { b: f32([6], b) } : {}), s: f32([6], p.s), bb: f32([6], p.b), mu: f32([6], p.mu), v: f32([6], p.v) },
      nodes: [
        ['Conv', ['x', 'w', ...(bias ? ['b'] : [])], ['c'], { pads: attr.is([1, 1, 1, 1]), strides: attr.is([2, 2]), group: attr.i(group) }],
        ['BatchNormalization', ['c', 's', 'bb', 'mu', 'v'], ['y'], { epsilon: attr.f(eps) }],
      ],
      outputs: ['y'],
    });
    expect(foldBatchNorm(m)).toBe(1);
    const g = m.graph;
    expect(g.nodes.map((n) => n.opType)).toEqual(['Conv']);
    expect(g.nodes[0]!.outputs).toEqual(['y']);
    expect([...g.initializers.keys()].some((k) => ['s', 'bb', 'mu', 'v'].includes(k))).toBe(false);
    const nw = g.initializers.get(g.nodes[0]!.inputs[1]!)!;
    const nb = g.initializers.get(g.nodes[0]!.inputs[2]!)!;
    expect(nw.dtype).toBe('float32');
    expect(nb.dims).toEqual([6]);
    const folded = conv2d(x, xd, nw.data as Float32Array, wd, nb.data as Float32Array, 1, 2, group);
    const ref = conv2d(x, xd, w, wd, bias ? b : undefined, 1, 2, group);
    expectClose(folded.y, batchNorm(ref.y, ref.dims, p, eps));
  });

  it('folds ConvTranspose+BN and Gemm(transB)+BN, agreeing with onnxruntime on the unfolded model', async () => {
    const p = bnParams(6, 20);
    const bn = (input: string, out: string): [string, string[], string[]] => ['BatchNormalization', [input, 's', 'bb', 'mu', 'v'], [out]];
    const m = model({
      inputs: [['x', 'float32', [2, 4, 5, 5]], ['a', 'float32', [3, 8]]],
      initializers: {
        wt: f32([4, 3, 3, 3], rand(108, 5)), bt: f32([6], rand(6, 6)),
        wg: f32([6, 8], rand(48, 7)), cg: f32([6], rand(6, 8)),
        s: f32([6], p.s), bb: f32([6], p.b), mu: f32([6], p.mu), v: f32([6], p.v),
      },
      nodes: [
        ['ConvTranspose', ['x', 'wt', 'bt'], ['t'], { strides: attr.is([2, 2]), group: attr.i(2) }],
        bn('t', 'yt'),
        ['Gemm', ['a', 'wg', 'cg'], ['gm'], { transB: attr.i(1), alpha: attr.f(0.5), beta: attr.f(2) }],
        bn('gm', 'yg'),
      ],
      outputs: ['yt', 'yg'],
    });
    const folded = cloneModel(m);
    expect(foldBatchNorm(folded)).toBe(2);
    expect(folded.graph.nodes.map((n) => n.opType)).toEqual(['ConvTranspose', 'Gemm']);
    const feeds = { x: new ort.Tensor('float32', rand(200, 9), [2, 4, 5, 5]), a: new ort.Tensor('float32', rand(24, 10), [3, 8]) };
    const ref = await (await ort.InferenceSession.create(encodeModel(m).model)).run(feeds);
    const out = await (await ort.InferenceSession.create(encodeModel(folded).model)).run(feeds);
    for (const k of ['yt', 'yg']) expectClose(out[k]!.data as Float32Array, ref[k]!.data as Float32Array, 1e-5, 1e-5);
  });

  it('folds Gemm(transB=0)+BN by scaling the columns of B [K, N], the axis holding its output channels', () => {
    const p = bnParams(6, 30);
    const wg = rand(4 * 6, 11);
    const m = model({
      inputs: [['a', 'float32', [3, 4]]],
      initializers: { wg: f32([4, 6], wg), s: f32([6], p.s), bb: f32([6], p.b), mu: f32([6], p.mu), v: f32([6], p.v) },
      nodes: [['Gemm', ['a', 'wg'], ['gm']], ['BatchNormalization', ['gm', 's', 'bb', 'mu', 'v'], ['y']]],
      outputs: ['y'],
    });
    expect(foldBatchNorm(m)).toBe(1);
    const nw = m.graph.initializers.get(m.graph.nodes[0]!.inputs[1]!)!.data as Float32Array;
    for (let k = 0; k < 4; k++) {
      for (let n = 0; n < 6; n++) {
        const f = p.s[n]! / Math.sqrt(p.v[n]! + 1e-5);
        expect(nw[k * 6 + n]).toBeCloseTo(wg[k * 6 + n]! * f, 5);
      }
    }
  });

  it('leaves BN alone when the conv output has another reader, BN is in training mode, or weights are not constant', () => {
    const p = bnParams(2, 30);
    const params = { s: f32([2], p.s), bb: f32([2], p.b), mu: f32([2], p.mu), v: f32([2], p.v) };
    const m = model({
      inputs: [['x', 'float32', [1, 1, 4, 4]], ['wx', 'float32', [2, 1, 1, 1]]],
      initializers: { w: f32([2, 1, 1, 1], rand(2, 1)), ...params },
      nodes: [
        ['Conv', ['x', 'w'], ['c1']],
        ['BatchNormalization', ['c1', 's', 'bb', 'mu', 'v'], ['y1']],
        ['Relu', ['c1'], ['r1']],
        ['Conv', ['x', 'w'], ['c2']],
        ['BatchNormalization', ['c2', 's', 'bb', 'mu', 'v'], ['y2', 'rm', 'rv'], { training_mode: attr.i(1) }],
        ['Conv', ['x', 'wx'], ['c3']],
        ['BatchNormalization', ['c3', 's', 'bb', 'mu', 'v'], ['y3']],
      ],
      outputs: ['y1', 'r1', 'y2', 'y3'],
    });
    expect(foldBatchNorm(m)).toBe(0);
    expect(m.graph.nodes.filter((n) => n.opType === 'BatchNormalization')).toHaveLength(3);
  });

  it('writes folded weights under a new name when another node shares them', () => {
    const p = bnParams(2, 40);
    const m = model({
      inputs: [['x', 'float32', [1, 1, 4, 4]]],
      initializers: { w: f32([2, 1, 1, 1], Float32Array.of(1, 2)), s: f32([2], p.s), bb: f32([2], p.b), mu: f32([2], p.mu), v: f32([2], p.v) },
      nodes: [['Conv', ['x', 'w'], ['c']], ['BatchNormalization', ['c', 's', 'bb', 'mu', 'v'], ['y']], ['Conv', ['x', 'w'], ['z']]],
      outputs: ['y', 'z'],
    });
    expect(foldBatchNorm(m)).toBe(1);
    const [a, b] = m.graph.nodes;
    expect(a!.inputs[1]).not.toBe('w');
    expect(b!.inputs[1]).toBe('w');
    expect(Array.from(m.graph.initializers.get('w')!.data as Float32Array)).toEqual([1, 2]);
  });
});
