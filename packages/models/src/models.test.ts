import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { encodeModel, type Model, type Tensor } from '@qtk/core';
import {
  GraphBuilder, Rng, buildBertEncoder, buildMobileNetV2, buildPytorchStyleCnn, buildResNet18, countParameters, foldBn, reluStats,
} from './index.js';

const TORCHVISION_RESNET18_PARAMS = 11_689_512;
const TORCHVISION_MOBILENETV2_PARAMS = 3_504_872;

/** Builds once per key: ResNet18 and MobileNetV2 take most of this file's time. */
const cache = new Map<string, Model>();
function memo(key: string, build: () => Model): Model {
  let m = cache.get(key);
  if (!m) { m = build(); cache.set(key, m); }
  return m;
}
const resnet = (foldBn = true, seed = 0): Model => memo(`resnet:${foldBn}:${seed}`, () => buildResNet18({ foldBn, seed }));
const mobilenet = (foldBn = true, seed = 0): Model => memo(`mnv2:${foldBn}:${seed}`, () => buildMobileNetV2({ foldBn, seed }));

function session(model: Model): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(encodeModel(model).model);
}

function imageInput(batch: number, size: number, seed = 123): ort.Tensor {
  return new ort.Tensor('float32', new Rng(seed).normalArray(batch * 3 * size * size), [batch, 3, size, size]);
}

/** Runs one float output; returns its data and dims. */
async function runImage(s: ort.InferenceSession, batch: number, size: number): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const r = await s.run({ input: imageInput(batch, size) });
  const out = r.output!;
  return { data: out.data as Float32Array, dims: out.dims };
}

function std(d: Float32Array): number {
  let s1 = 0;
  let s2 = 0;
  for (const v of d) { s1 += v; s2 += v * v; }
  const m = s1 / d.length;
  return Math.sqrt(Math.max(s2 / d.length - m * m, 0));
}

function expectHealthy(d: Float32Array): void {
  expect(d.every(Number.isFinite)).toBe(true);
  expect(std(d)).toBeGreaterThan(1e-3);
}

/** max |a − b| / max |b| */
function relDiff(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) { num = Math.max(num, Math.abs(a[i]! - b[i]!)); den = Math.max(den, Math.abs(b[i]!)); }
  return num / den;
}

const ops = (m: Model, op: string) => m.graph.nodes.filter((n) => n.opType === op);
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

/** Fraction of elements that differ between two float tensors of one shape. */
function fractionDifferent(a: Tensor, b: Tensor): number {
  const x = a.data as Float32Array;
  const y = b.data as Float32Array;
  let n = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) n++;
  return n / x.length;
}

describe('Rng and GraphBuilder', () => {
  it('Rng gives the same stream for the same seed and N(0,1) statistics', () => {
    const a = new Rng(42).normalArray(100_000);
    const b = new Rng(42).normalArray(100_000);
    expect(sameBytes(new Uint8Array(a.buffer), new Uint8Array(b.buffer))).toBe(true);
    expect(new Rng(43).normalArray(4)).not.toEqual(a.subarray(0, 4));
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(std(a)).toBeCloseTo(1, 1);
    const u = new Rng(1).uniformArray(10_000);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
  });

  it('GraphBuilder makes node and initializer names unique the way torch does (/Add, /Add_1)', () => {
    const b = new GraphBuilder('g', 0);
    const x = b.input('x', 'float32', [2]);
    const y = b.op('Add', [x, x]);
    const z = b.op('Add', [y, y]);
    expect(b.graph.nodes.map((n) => n.name)).toEqual(['/Add', '/Add_1']);
    expect(z).toBe('/Add_1_output_0');
    expect(b.scalar(6)).toBe(b.scalar(6));
    expect(b.initializer('w', b.graph.initializers.get(b.scalar(6))!)).toBe('w');
    expect(b.initializer('w', b.graph.initializers.get(b.scalar(6))!)).toBe('w_1');
  });

  it('foldBn matches BN applied after the conv, and reluStats matches the rectified Gaussian', () => {
    const bn = { gamma: Float32Array.of(2), beta: Float32Array.of(0.5), mean: Float32Array.of(1), variance: Float32Array.of(4), epsilon: 0 };
    const { weight, bias } = foldBn(Float32Array.of(3, -1), 1, Float32Array.of(0.25), bn);
    // x=[1,1]: conv = 3 - 1 + 0.25 = 2.25; bn = (2.25 - 1) * 2/2 + 0.5 = 1.75
    expect(weight[0]! + weight[1]! + bias[0]!).toBeCloseTo(1.75, 6);
    const r = reluStats({ mean: 0, var: 1 });
    expect(r.mean).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 5);
    expect(r.var + r.mean * r.mean).toBeCloseTo(0.5, 5);
  });
});

describe('ResNet18', () => {
  it('has torchvision layout: 20 Conv (3 downsample), 1 Gemm, BN folded away by default, torch-style names', () => {
    const m = resnet();
    expect(ops(m, 'Conv')).toHaveLength(20);
    expect(ops(m, 'Conv').filter((n) => n.name.includes('/downsample/'))).toHaveLength(3);
    expect(ops(m, 'Gemm')).toHaveLength(1);
    expect(ops(m, 'BatchNormalization')).toHaveLength(0);
    expect(ops(m, 'Add')).toHaveLength(8);
    expect(ops(m, 'Relu')).toHaveLength(17);
    expect(m.graph.nodes.map((n) => n.opType).slice(0, 3)).toEqual(['Conv', 'Relu', 'MaxPool']);
    expect(m.graph.nodes.slice(-3).map((n) => n.name)).toEqual(['/avgpool/GlobalAveragePool', '/Flatten', '/fc/Gemm']);
    expect(m.graph.nodes.some((n) => n.name === '/layer1/layer1.0/conv1/Conv')).toBe(true);
    expect(m.graph.nodes.some((n) => n.name === '/layer4/layer4.1/relu_1/Relu')).toBe(true);
    expect(m.graph.initializers.get('layer1.0.conv1.weight')?.dims).toEqual([64, 64, 3, 3]);
    expect(m.graph.initializers.get('layer2.0.downsample.0.weight')?.dims).toEqual([128, 64, 1, 1]);
    expect(m.graph.initializers.get('fc.weight')?.dims).toEqual([1000, 512]);
    expect(m.graph.inputs[0]).toMatchObject({ name: 'input', type: { dtype: 'float32', shape: ['N', 3, 224, 224] } });
    expect(m.graph.outputs[0]).toMatchObject({ name: 'output', type: { dtype: 'float32', shape: ['N', 1000] } });
    expect(m.opsetImports.get('')).toBe(17);
  });

  it('has torchvision\'s 11,689,512 parameters unfolded; folded trades BN gamma+beta for one conv bias', () => {
    const unfolded = resnet(false);
    expect(ops(unfolded, 'BatchNormalization')).toHaveLength(20);
    expect(countParameters(unfolded)).toBe(TORCHVISION_RESNET18_PARAMS);
    const bnChannels = ops(unfolded, 'BatchNormalization').reduce((s, n) => s + unfolded.graph.initializers.get(n.inputs[1]!)!.size, 0);
    expect(bnChannels).toBe(4800);
    expect(countParameters(resnet())).toBe(TORCHVISION_RESNET18_PARAMS - bnChannels);
  });

  it('runs in onnxruntime at batch 1 and 2 with output [N,1000], finite and not constant', async () => {
    const s = await session(resnet());
    for (const n of [1, 2]) {
      const out = await runImage(s, n, 224);
      expect(out.dims).toEqual([n, 1000]);
      expectHealthy(out.data);
      expect(std(out.data)).toBeLessThan(100); // well-conditioned: logits neither explode nor vanish
    }
  });

  it('foldBn true and false give the same outputs within 1e-4 relative', async () => {
    const a = await runImage(await session(resnet(true)), 2, 224);
    const b = await runImage(await session(resnet(false)), 2, 224);
    expect(relDiff(a.data, b.data)).toBeLessThan(1e-4);
  });

  it('same seed gives bit-identical weights, a different seed different ones', () => {
    const a = resnet(true, 0);
    const b = buildResNet18({ seed: 0 });
    expect(sameBytes(encodeModel(a).model, encodeModel(b).model)).toBe(true);
    const c = resnet(true, 1);
    for (const name of ['conv1.weight', 'layer3.1.conv2.weight', 'fc.weight']) {
      expect(fractionDifferent(a.graph.initializers.get(name)!, c.graph.initializers.get(name)!)).toBeGreaterThan(0.99);
    }
  });

  it('honours numClasses, a fixed batch and a smaller imageSize', async () => {
    const m = buildResNet18({ numClasses: 10, batch: 1, imageSize: 64, seed: 3 });
    expect(m.graph.inputs[0]!.type).toMatchObject({ shape: [1, 3, 64, 64] });
    const out = await runImage(await session(m), 1, 64);
    expect(out.dims).toEqual([1, 10]);
    expectHealthy(out.data);
  });
});

describe('MobileNetV2', () => {
  it('has torchvision layout: 52 Conv of which 17 depthwise, 35 Clip(0,6), 10 residual Add, 1 Gemm', () => {
    const m = mobilenet();
    const convs = ops(m, 'Conv');
    expect(convs).toHaveLength(52);
    const depthwise = convs.filter((n) => {
      const g = n.attributes.find((a) => a.name === 'group')!.value;
      return g.kind === 'int' && g.value > 1 && g.value === m.graph.initializers.get(n.inputs[1]!)!.dims[0];
    });
    expect(depthwise).toHaveLength(17);
    const clips = ops(m, 'Clip');
    expect(clips).toHaveLength(35);
    for (const c of clips) {
      expect(m.graph.initializers.get(c.inputs[1]!)!.get(0)).toBe(0);
      expect(m.graph.initializers.get(c.inputs[2]!)!.get(0)).toBe(6);
    }
    expect(ops(m, 'Add')).toHaveLength(10);
    expect(ops(m, 'Gemm')).toHaveLength(1);
    expect(ops(m, 'Dropout')).toHaveLength(0);
    expect(m.graph.initializers.get('features.18.0.weight')?.dims).toEqual([1280, 320, 1, 1]);
    expect(m.graph.initializers.get('features.2.conv.1.0.weight')?.dims).toEqual([96, 1, 3, 3]);
    expect(m.graph.nodes.some((n) => n.name === '/features/features.1/conv/conv.0/conv.0.0/Conv')).toBe(true);
    expect(m.graph.nodes.some((n) => n.name === '/classifier/classifier.1/Gemm')).toBe(true);
  });

  it('has torchvision\'s 3,504,872 parameters unfolded (52 BN); folded trades BN gamma+beta for one conv bias', () => {
    const unfolded = mobilenet(false);
    expect(ops(unfolded, 'BatchNormalization')).toHaveLength(52);
    expect(countParameters(unfolded)).toBe(TORCHVISION_MOBILENETV2_PARAMS);
    const bnChannels = ops(unfolded, 'BatchNormalization').reduce((s, n) => s + unfolded.graph.initializers.get(n.inputs[1]!)!.size, 0);
    expect(countParameters(mobilenet())).toBe(TORCHVISION_MOBILENETV2_PARAMS - bnChannels);
  });

  it('runs in onnxruntime at batch 1 and 2 with output [N,1000], finite and not constant', async () => {
    const s = await session(mobilenet());
    for (const n of [1, 2]) {
      const out = await runImage(s, n, 224);
      expect(out.dims).toEqual([n, 1000]);
      expectHealthy(out.data);
    }
  });

  it('foldBn true and false give the same outputs within 1e-4 relative', async () => {
    const a = await runImage(await session(mobilenet(true)), 2, 224);
    const b = await runImage(await session(mobilenet(false)), 2, 224);
    expect(relDiff(a.data, b.data)).toBeLessThan(1e-4);
  });

  it('same seed gives bit-identical weights, a different seed different ones', () => {
    const a = mobilenet(true, 0);
    expect(sameBytes(encodeModel(a).model, encodeModel(buildMobileNetV2({ seed: 0 })).model)).toBe(true);
    const c = mobilenet(true, 7);
    for (const name of ['features.0.0.weight', 'features.9.conv.1.0.weight', 'classifier.1.weight']) {
      expect(fractionDifferent(a.graph.initializers.get(name)!, c.graph.initializers.get(name)!)).toBeGreaterThan(0.99);
    }
  });
});

describe('BERT encoder', () => {
  const feeds = (n: number, s: number, seed = 9): { input_ids: ort.Tensor; attention_mask: ort.Tensor } => {
    const ids = new Rng(seed).intArray(n * s, 0, 1000);
    // the last quarter of each sequence is padding
    const mask = BigInt64Array.from({ length: n * s }, (_, i) => (i % s < s - Math.floor(s / 4) ? 1n : 0n));
    return { input_ids: new ort.Tensor('int64', ids, [n, s]), attention_mask: new ort.Tensor('int64', mask, [n, s]) };
  };

  it('has the HF layout: per layer Q/K/V MatMul+Add, Softmax, erf Gelu, 2 LayerNorms; Reshape shapes hold 0 and -1', () => {
    const m = buildBertEncoder({ layers: 2 });
    expect(ops(m, 'Softmax')).toHaveLength(2);
    expect(ops(m, 'LayerNormalization')).toHaveLength(5);
    expect(ops(m, 'Erf')).toHaveLength(2);
    expect(ops(m, 'MatMul')).toHaveLength(2 * (6 + 2));
    expect(ops(m, 'Gather')).toHaveLength(2);
    for (const r of ops(m, 'Reshape')) {
      const shape = m.graph.initializers.get(r.inputs[1]!)!.toNumbers();
      expect(shape).toContain(0);
      expect(shape).toContain(-1);
    }
    expect(m.graph.initializers.get('encoder.layer.1.intermediate.dense.weight')?.dims).toEqual([256, 1024]);
    expect(m.graph.inputs.map((i) => [i.name, i.type])).toEqual([
      ['input_ids', { kind: 'tensor', dtype: 'int64', shape: ['N', 'S'] }],
      ['attention_mask', { kind: 'tensor', dtype: 'int64', shape: ['N', 'S'] }],
    ]);
    expect(m.graph.outputs[0]).toMatchObject({ name: 'last_hidden_state', type: { dtype: 'float32', shape: ['N', 'S', 256] } });
  });

  it('runs in onnxruntime at batch 1 and 2 and two sequence lengths with output [N,S,256]', async () => {
    const s = await session(buildBertEncoder());
    for (const [n, len] of [[1, 16], [2, 16], [2, 7]] as const) {
      const r = await s.run(feeds(n, len));
      const out = r.last_hidden_state!;
      expect(out.dims).toEqual([n, len, 256]);
      expectHealthy(out.data as Float32Array);
    }
  });

  it('masked positions do not change the hidden states of the others', async () => {
    const s = await session(buildBertEncoder({ layers: 1 }));
    const a = feeds(1, 8);
    const b = feeds(1, 8);
    (b.input_ids.data as BigInt64Array)[7] = 999n; // position 7 is padding
    (a.input_ids.data as BigInt64Array)[7] = 3n;
    const ya = (await s.run(a)).last_hidden_state!.data as Float32Array;
    const yb = (await s.run(b)).last_hidden_state!.data as Float32Array;
    expect(relDiff(ya.subarray(0, 6 * 256), yb.subarray(0, 6 * 256))).toBeLessThan(1e-5);
    expect(relDiff(ya.subarray(7 * 256), yb.subarray(7 * 256))).toBeGreaterThan(1e-2);
  });

  it('honours layers/hidden/heads/intermediate/vocab and a fixed seqLen', async () => {
    const m = buildBertEncoder({ layers: 1, hidden: 64, heads: 2, intermediate: 128, vocab: 50, seqLen: 5, seed: 4 });
    expect(m.graph.initializers.get('embeddings.word_embeddings.weight')?.dims).toEqual([50, 64]);
    const ids = new ort.Tensor('int64', new Rng(1).intArray(10, 0, 50), [2, 5]);
    const mask = new ort.Tensor('int64', new BigInt64Array(10).fill(1n), [2, 5]);
    const out = (await (await session(m)).run({ input_ids: ids, attention_mask: mask })).last_hidden_state!;
    expect(out.dims).toEqual([2, 5, 64]);
    expectHealthy(out.data as Float32Array);
  });

  it('same seed gives bit-identical weights, a different seed different ones', () => {
    const a = buildBertEncoder({ seed: 5 });
    expect(sameBytes(encodeModel(a).model, encodeModel(buildBertEncoder({ seed: 5 })).model)).toBe(true);
    const c = buildBertEncoder({ seed: 6 });
    const name = 'encoder.layer.0.attention.self.query.weight';
    expect(fractionDifferent(a.graph.initializers.get(name)!, c.graph.initializers.get(name)!)).toBeGreaterThan(0.99);
  });

  it('outlierChannels scales those LayerNorm channels only; outlierChannels 0 is byte-identical to no option', () => {
    const opts = { layers: 1, hidden: 32, heads: 2, intermediate: 64, seed: 7 };
    const plain = buildBertEncoder(opts);
    expect(sameBytes(encodeModel(plain).model, encodeModel(buildBertEncoder({ ...opts, outlierChannels: 0 })).model)).toBe(true);
    const withOutliers = buildBertEncoder({ ...opts, outlierChannels: 2, outlierScale: 10 });
    const gamma = (m: typeof plain, n: string) => m.graph.initializers.get(n)!.data as Float32Array;
    const a = gamma(plain, 'embeddings.LayerNorm.weight'), b = gamma(withOutliers, 'embeddings.LayerNorm.weight');
    const changed = Array.from(a.keys()).filter((i) => a[i] !== b[i]);
    expect(changed).toEqual([8, 24]);
    expect(b[8]).toBeCloseTo(a[8]! * 10, 4);
    // The last LayerNorm (the model output) and every other weight are unchanged.
    expect(gamma(withOutliers, 'encoder.layer.0.output.LayerNorm.weight')).toEqual(gamma(plain, 'encoder.layer.0.output.LayerNorm.weight'));
    expect(gamma(withOutliers, 'encoder.layer.0.attention.self.query.weight')).toEqual(gamma(plain, 'encoder.layer.0.attention.self.query.weight'));
  });
});

describe('PyTorch-style CNN', () => {
  it('looks like an export without constant folding: Constant nodes, unfolded BN, Identity, Shape→Gather→Unsqueeze→Concat→Reshape', () => {
    const m = buildPytorchStyleCnn();
    expect(ops(m, 'Constant').map((n) => n.name)).toEqual(['/Constant', '/Constant_1', '/Constant_2']);
    expect(ops(m, 'BatchNormalization')).toHaveLength(2);
    expect(ops(m, 'Identity')).toHaveLength(1);
    const tail = m.graph.nodes.map((n) => n.opType).filter((o) => o !== 'Constant').slice(-8);
    expect(tail).toEqual(['Identity', 'Shape', 'Gather', 'Unsqueeze', 'Concat', 'Reshape', 'Gemm', 'Softmax']);
    const concat = ops(m, 'Concat')[0]!;
    const c = m.graph.nodes.find((n) => n.outputs[0] === concat.inputs[1])!;
    expect(c.opType).toBe('Constant');
    const v = c.attributes[0]!.value;
    expect(v.kind === 'tensor' && v.value.toNumbers()).toEqual([-1]);
    expect(m.graph.inputs[0]!.type).toMatchObject({ shape: ['N', 3, 32, 32] });
  });

  it('runs in onnxruntime at batch 1 and 2 with output [N,10] rows of probabilities', async () => {
    const s = await session(buildPytorchStyleCnn());
    for (const n of [1, 2]) {
      const out = await runImage(s, n, 32);
      expect(out.dims).toEqual([n, 10]);
      expectHealthy(out.data);
      for (let i = 0; i < n; i++) expect(out.data.subarray(i * 10, i * 10 + 10).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  it('same seed gives bit-identical weights, a different seed different ones', () => {
    const a = buildPytorchStyleCnn({ seed: 2 });
    expect(sameBytes(encodeModel(a).model, encodeModel(buildPytorchStyleCnn({ seed: 2 })).model)).toBe(true);
    const c = buildPytorchStyleCnn({ seed: 3 });
    expect(fractionDifferent(a.graph.initializers.get('conv1.weight')!, c.graph.initializers.get('conv1.weight')!)).toBeGreaterThan(0.99);
  });
});
