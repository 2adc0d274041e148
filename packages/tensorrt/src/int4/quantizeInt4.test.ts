/**
 * quantizeInt4 end to end on onnxruntime-node (1.30, CPU): the written form (blocked int4
 * DequantizeLinear at opset 21 without zero point), its dequantized weights against an
 * independent block rule, awq_lite's folding of 1/s, and output SQNR against the float model.
 */
import { describe, expect, it } from 'vitest';
import { createGraph, createModel, dequantizeTensor, isQtkError, roundHalfToEven, subgraphsOf, Tensor, type Feeds, type Graph, type Model, type Node, type QtkErrorCode } from '@qtk/core';
import { buildBertEncoder, Rng } from '@qtk/models';
import { ortNode } from '@qtk/onnxruntime/node';
import { quantizeInt4 } from './quantizeInt4.js';
import { exactOrt, matmulModel, outlierRows, outputSqnr, tokenBatches } from './test-support/int4Fixtures.js';

/** Dequantized blocks by the rule itself: per column, per block along axis 0, scale fround(absmax / 7), codes round-half-even clipped to ±7. */
function referenceBlocks(w: Float32Array, k: number, n: number, blockSize: number): Float32Array {
  const out = new Float32Array(k * n);
  for (let c = 0; c < n; c++) {
    for (let b0 = 0; b0 < k; b0 += blockSize) {
      const b1 = Math.min(k, b0 + blockSize);
      let amax = 0;
      for (let r = b0; r < b1; r++) amax = Math.max(amax, Math.abs(w[r * n + c]!));
      const s = amax === 0 ? 1 : Math.fround(amax / 7);
      for (let r = b0; r < b1; r++) {
        const q = Math.max(-7, Math.min(7, roundHalfToEven(Math.fround(w[r * n + c]! / s))));
        out[r * n + c] = Math.fround(q * s);
      }
    }
  }
  return out;
}

/** The float weight a blocked DequantizeLinear of `m` stands for, by the name of the node reading it. */
function dequantizedWeight(m: Model, reader: string): { values: Float32Array; dq: Node } {
  const g = m.graph;
  const node = g.nodes.find((x) => x.name === reader)!;
  const dq = g.nodes.find((x) => x.outputs[0] === node.inputs[1])!;
  const [codes, scale] = dq.inputs.map((i) => g.initializers.get(i)!);
  const axis = dq.attributes.find((a) => a.name === 'axis')!.value as { value: number };
  const block = dq.attributes.find((a) => a.name === 'block_size')!.value as { value: number };
  return { values: dequantizeTensor(codes!, scale!.data as Float32Array, undefined, { axis: axis.value, blockSize: block.value }).data as Float32Array, dq };
}

/** Requires `p` to reject with a QtkError of `code` whose message contains `part`. */
async function expectRejection(p: Promise<unknown>, code: QtkErrorCode, part: string): Promise<void> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(isQtkError(e, code)).toBe(true);
  expect((e as Error).message).toContain(part);
}

const K = 200; // not a multiple of 128 or 64: the last block is short
const N = 24;

describe('quantizeInt4 on onnxruntime-node', () => {
  it('rtn writes DequantizeLinear(int4 weight, scale) with axis and block_size, no zero point, opset 21, and onnxruntime runs it', async () => {
    const w = new Rng(3).normalArray(K * N, 0, 0.1);
    const float = matmulModel(w, K, N);
    const { model, report } = await quantizeInt4(float, { algorithm: 'rtn' });
    expect(model.opsetImports.get('')).toBe(21);
    expect(model.irVersion).toBeGreaterThanOrEqual(10);
    const { values, dq } = dequantizedWeight(model, 'mm');
    expect(dq.inputs.length).toBe(2);
    expect(model.graph.initializers.get(dq.inputs[0]!)!.dtype).toBe('int4');
    expect(model.graph.initializers.get(dq.inputs[0]!)!.dims).toEqual([K, N]);
    expect(model.graph.initializers.get(dq.inputs[1]!)!.dims).toEqual([Math.ceil(K / 128), N]);
    expect(dq.attributes).toEqual([
      { name: 'axis', value: { kind: 'int', value: 0 } },
      { name: 'block_size', value: { kind: 'int', value: 128 } },
    ]);
    expect(report.quantized.map((q) => q.name)).toEqual(['mm']);
    const x = new Tensor('float32', outlierRows(4, 8, K, [], 1), [8, K]);
    // graph optimizations off: onnxruntime would fuse DequantizeLinear + MatMul into MatMulNBits, which quantizes the input to int8
    const s = await exactOrt.createSession(model);
    const y = (await s.run({ x }))['y']!.data as Float32Array;
    await s.release();
    // onnxruntime's output against x · (the reference dequantization), in float64
    for (let t = 0; t < 8; t++) {
      for (let c = 0; c < N; c++) {
        let ref = 0;
        for (let r = 0; r < K; r++) ref += x.data[t * K + r]! as number * values[r * N + c]!;
        expect(y[t * N + c]).toBeCloseTo(ref, 4);
      }
    }
  });

  it('dequantized weights equal the block rule (absmax / 7, codes in [-7, 7]) for block 128 and 64, Gemm transB included', async () => {
    const w = new Rng(7).normalArray(K * N, 0, 0.1);
    for (const blockSize of [128, 64]) {
      const { model } = await quantizeInt4(matmulModel(w, K, N), { algorithm: 'rtn', blockSize });
      expect(Array.from(dequantizedWeight(model, 'mm').values)).toEqual(Array.from(referenceBlocks(w, K, N, blockSize)));
    }
    // Gemm transB stores [N, K]: blocks run along axis 1
    const g = createGraph('g');
    g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [2, K] } });
    g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: [2, N] } });
    const wt = new Float32Array(N * K);
    for (let r = 0; r < K; r++) for (let c = 0; c < N; c++) wt[c * K + r] = w[r * N + c]!;
    g.initializers.set('wt', new Tensor('float32', wt, [N, K]));
    g.nodes.push({ name: 'fc', opType: 'Gemm', domain: '', inputs: ['x', 'wt'], outputs: ['y'], attributes: [{ name: 'transB', value: { kind: 'int', value: 1 } }] });
    const { model } = await quantizeInt4(createModel(g, 17), { algorithm: 'rtn', blockSize: 64 });
    const { values, dq } = dequantizedWeight(model, 'fc');
    expect(dq.attributes[0]).toEqual({ name: 'axis', value: { kind: 'int', value: 1 } });
    const ref = referenceBlocks(w, K, N, 64);
    for (let r = 0; r < K; r++) for (let c = 0; c < N; c++) expect(values[c * K + r]).toBe(ref[r * N + c]);
  });

  it('converts MatMuls inside If branches with round to nearest, without zero points, and onnxruntime runs them', async () => {
    const w = new Rng(13).normalArray(K * N, 0, 0.1);
    const branch = (name: string, weight: string): Graph => {
      const b = createGraph(name);
      b.outputs.push({ name: `${name}_y`, type: { kind: 'tensor', dtype: 'float32', shape: [2, N] } });
      b.nodes.push({ name: `${name}_mm`, opType: 'MatMul', domain: '', inputs: ['x', weight], outputs: [`${name}_y`], attributes: [] });
      return b;
    };
    const g = createGraph('g');
    g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [2, K] } });
    g.inputs.push({ name: 'cond', type: { kind: 'tensor', dtype: 'bool', shape: [] } });
    g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: [2, N] } });
    g.initializers.set('w', new Tensor('float32', w, [K, N]));
    g.initializers.set('w2', new Tensor('float32', w.map((v) => -v), [K, N]));
    g.nodes.push({ name: 'if', opType: 'If', domain: '', inputs: ['cond'], outputs: ['y'], attributes: [
      { name: 'then_branch', value: { kind: 'graph', value: branch('then', 'w') } },
      { name: 'else_branch', value: { kind: 'graph', value: branch('else', 'w2') } },
    ] });
    const { model, report } = await quantizeInt4(createModel(g, 17), { algorithm: 'rtn' });
    expect(report.quantized.map((q) => q.name).sort()).toEqual(['else_mm', 'then_mm']);
    const dqs = [model.graph, ...model.graph.nodes.flatMap(subgraphsOf)].flatMap((x) => x.nodes).filter((n) => n.opType === 'DequantizeLinear');
    expect(dqs).toHaveLength(2);
    expect(dqs.every((n) => n.inputs.length === 2)).toBe(true);
    const x = new Tensor('float32', outlierRows(14, 2, K, [], 1), [2, K]);
    const s = await exactOrt.createSession(model);
    const yThen = (await s.run({ x, cond: new Tensor('bool', Uint8Array.of(1), []) }))['y']!.data as Float32Array;
    const yElse = (await s.run({ x, cond: new Tensor('bool', Uint8Array.of(0), []) }))['y']!.data as Float32Array;
    await s.release();
    const deq = referenceBlocks(w, K, N, 128);
    for (let c = 0; c < N; c++) {
      let ref = 0;
      for (let r = 0; r < K; r++) ref += (x.data[r] as number) * deq[r * N + c]!;
      expect(yThen[c]).toBeCloseTo(ref, 4);
      expect(yElse[c]).toBeCloseTo(-ref, 4);
    }
  });

  it('exclude keeps a MatMul float (no DequantizeLinear, no scale Mul) with the reason in report.float', async () => {
    const float = matmulModel(new Rng(15).normalArray(K * N, 0, 0.1), K, N);
    const calibration = [{ x: new Tensor('float32', outlierRows(16, 4, K, [1], 10), [4, K]) }];
    for (const algorithm of ['rtn', 'awq_lite'] as const) {
      const { model, report } = await quantizeInt4(float, { algorithm, exclude: ['mm'] }, { executor: exactOrt, calibration });
      expect(report.float).toEqual([{ name: 'mm', opType: 'MatMul', reason: 'excluded by user' }]);
      expect(report.quantized).toEqual([]);
      expect(report.layers).toEqual([]);
      expect(model.graph.nodes.map((n) => n.opType)).toEqual(['MatMul']);
    }
  });

  it('refuses block sizes other than 128 and 64, an unknown algorithm, and awq_lite without calibration data (E_OPTION)', async () => {
    const m = matmulModel(new Float32Array(K * N).fill(0.5), K, N);
    await expectRejection(quantizeInt4(m, { blockSize: 32, algorithm: 'rtn' }), 'E_OPTION', 'blockSize');
    await expectRejection(quantizeInt4(m, { blockSize: 100, algorithm: 'rtn' }), 'E_OPTION', 'blockSize');
    await expectRejection(quantizeInt4(m, { algorithm: 'gptq' as never }), 'E_OPTION', 'algorithm');
    await expectRejection(quantizeInt4(m, {}, { executor: ortNode }), 'E_OPTION', 'calibration data');
    await expectRejection(quantizeInt4(m, {}, { calibration: [] }), 'E_OPTION', 'an executor');
  });

  it('awq_lite on a MatMul whose input has outlier channels: higher output SQNR than rtn on held-out rows, 1/s in a Mul before the MatMul', async () => {
    const k = 256;
    const float = matmulModel(new Rng(11).normalArray(k * N, 0, 0.05), k, N);
    const outliers = [5, 77, 130, 201];
    const batch = (seed: number): Feeds => ({ x: new Tensor('float32', outlierRows(seed, 32, k, outliers, 40), [32, k]) });
    const calibration = [batch(20), batch(21), batch(22)];
    const heldOut = [batch(30), batch(31)];
    const awq = await quantizeInt4(float, {}, { executor: exactOrt, calibration });
    const rtn = await quantizeInt4(float, { algorithm: 'rtn' });
    expect(awq.report.layers).toHaveLength(1);
    const layer = awq.report.layers[0]!;
    expect(layer.alpha).toBeGreaterThan(0);
    expect(layer.mse).toBeLessThan(layer.rtnMse);
    expect(awq.report.scaledInputs).toEqual([{ input: 'x', nodes: ['mm'], fold: 'inserted-mul' }]);
    const mul = awq.model.graph.nodes.find((n) => n.opType === 'Mul')!;
    expect([mul.opType, mul.inputs[0]]).toEqual(['Mul', 'x']);
    expect(awq.model.graph.nodes.find((n) => n.name === 'mm')!.inputs[0]).toBe(mul.outputs[0]);
    const awqDb = await outputSqnr(exactOrt, float, awq.model, heldOut, 'y');
    const rtnDb = await outputSqnr(exactOrt, float, rtn.model, heldOut, 'y');
    expect(awqDb).toBeGreaterThan(rtnDb + 1);
  });

  it('layers reading one input share one scale; a Mul with a constant producing that input takes c / s instead of a new Mul; the input model is unchanged', async () => {
    const k = 128;
    const rng = new Rng(12);
    const g = createGraph('g');
    g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: ['T', k] } });
    for (const y of ['y1', 'y2', 'y3']) g.outputs.push({ name: y, type: { kind: 'tensor', dtype: 'float32', shape: ['T', N] } });
    const c = Float32Array.from({ length: k }, (_, i) => (i % 16 === 0 ? 20 : 1));
    g.initializers.set('c', new Tensor('float32', c, [k]));
    for (const w of ['w1', 'w2', 'w3']) g.initializers.set(w, new Tensor('float32', rng.normalArray(k * N, 0, 0.05), [k, N]));
    g.nodes.push({ name: 'scale', opType: 'Mul', domain: '', inputs: ['x', 'c'], outputs: ['h'], attributes: [] });
    g.nodes.push({ name: 'mm1', opType: 'MatMul', domain: '', inputs: ['h', 'w1'], outputs: ['y1'], attributes: [] });
    g.nodes.push({ name: 'mm2', opType: 'MatMul', domain: '', inputs: ['h', 'w2'], outputs: ['y2'], attributes: [] });
    g.nodes.push({ name: 'mm3', opType: 'MatMul', domain: '', inputs: ['x', 'w3'], outputs: ['y3'], attributes: [] });
    const float = createModel(g, 17);
    const w1 = float.graph.initializers.get('w1')!.data as Float32Array;
    const calibration = [0, 1].map((i) => ({ x: new Tensor('float32', outlierRows(40 + i, 16, k, [], 1), [16, k]) }));
    const { model, report } = await quantizeInt4(float, {}, { executor: exactOrt, calibration });
    expect(report.scaledInputs).toEqual([
      { input: 'h', nodes: ['mm1', 'mm2'], fold: 'parent', into: 'scale' },
      { input: 'x', nodes: ['mm3'], fold: 'inserted-mul' },
    ]);
    expect(report.layers.map((l) => [l.node, l.input])).toEqual([['mm1', 'h'], ['mm2', 'h'], ['mm3', 'x']]);
    // the Mul's new constant is c / s; mm1 reads Q(W1·diag(s)), which divided by s is W1 to within half a block step
    const parent = model.graph.nodes.find((n) => n.name === 'scale')!;
    expect(parent.inputs[1]).not.toBe('c');
    expect(model.graph.initializers.has('c')).toBe(false);
    const folded = model.graph.initializers.get(parent.inputs[1]!)!.data as Float32Array;
    const s = Float32Array.from(c, (v, i) => v / folded[i]!);
    expect(model.graph.nodes.filter((n) => n.opType === 'Mul')).toHaveLength(2);
    const q1 = dequantizedWeight(model, 'mm1').values;
    const q2 = dequantizedWeight(model, 'mm2').values;
    let worst = 0;
    for (let r = 0; r < k; r++) for (let j = 0; j < N; j++) worst = Math.max(worst, Math.abs(q1[r * N + j]! / s[r]! - w1[r * N + j]!));
    let amax = 0;
    for (let r = 0; r < k; r++) for (let j = 0; j < N; j++) amax = Math.max(amax, Math.abs(w1[r * N + j]! * s[r]!));
    expect(worst).toBeLessThan((amax / 7) / Math.min(...s) / 2 + 1e-6);
    expect(q2).not.toEqual(q1);
    // the input model is left as it was
    expect(float.graph.nodes.map((n) => n.inputs)).toEqual([['x', 'c'], ['h', 'w1'], ['h', 'w2'], ['x', 'w3']]);
    expect(float.graph.initializers.get('w1')!.data).toBe(w1);
    const heldOut = [{ x: new Tensor('float32', outlierRows(50, 16, k, [], 1), [16, k]) }];
    for (const y of ['y1', 'y2', 'y3']) expect(await outputSqnr(exactOrt, float, model, heldOut, y)).toBeGreaterThan(15);
  });

  it('1/s folds into a producing MatMul (weight columns) and Gemm with transB (weight rows and bias); outputs stay close to float', async () => {
    const k0 = 64;
    const k = 128;
    const rng = new Rng(17);
    const g = createGraph('g');
    g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: ['T', k0] } });
    for (const y of ['y1', 'y2']) g.outputs.push({ name: y, type: { kind: 'tensor', dtype: 'float32', shape: ['T', N] } });
    g.initializers.set('a', new Tensor('float32', rng.normalArray(k * k0, 0, 0.2), [k, k0]));
    g.initializers.set('bias', new Tensor('float32', rng.normalArray(k, 0, 0.1), [k]));
    g.initializers.set('b', new Tensor('float32', rng.normalArray(k0 * k, 0, 0.2), [k0, k]));
    g.initializers.set('w1', new Tensor('float32', rng.normalArray(k * N, 0, 0.05), [k, N]));
    g.initializers.set('w2', new Tensor('float32', rng.normalArray(k * N, 0, 0.05), [k, N]));
    g.nodes.push({ name: 'fc', opType: 'Gemm', domain: '', inputs: ['x', 'a', 'bias'], outputs: ['h1'], attributes: [{ name: 'transB', value: { kind: 'int', value: 1 } }] });
    g.nodes.push({ name: 'proj', opType: 'MatMul', domain: '', inputs: ['x', 'b'], outputs: ['h2'], attributes: [] });
    g.nodes.push({ name: 'mm1', opType: 'MatMul', domain: '', inputs: ['h1', 'w1'], outputs: ['y1'], attributes: [] });
    g.nodes.push({ name: 'mm2', opType: 'MatMul', domain: '', inputs: ['h2', 'w2'], outputs: ['y2'], attributes: [] });
    const float = createModel(g, 17);
    const rows = (seed: number) => ({ x: new Tensor('float32', outlierRows(seed, 16, k0, [3], 8), [16, k0]) });
    const { model, report } = await quantizeInt4(float, { blockSize: 64, exclude: ['fc', 'proj'] }, { executor: exactOrt, calibration: [rows(60), rows(61)] });
    expect(report.scaledInputs).toEqual([
      { input: 'h1', nodes: ['mm1'], fold: 'parent', into: 'fc' },
      { input: 'h2', nodes: ['mm2'], fold: 'parent', into: 'proj' },
    ]);
    expect(model.graph.nodes.some((n) => n.opType === 'Mul')).toBe(false);
    const fc = model.graph.nodes.find((n) => n.name === 'fc')!;
    expect(fc.inputs[1]).not.toBe('a');
    expect(fc.inputs[2]).not.toBe('bias');
    expect(model.graph.initializers.has('a')).toBe(false);
    for (const y of ['y1', 'y2']) expect(await outputSqnr(exactOrt, float, model, [rows(70)], y)).toBeGreaterThan(15);
  });

  it('1/s folds into the scale of a producing SimplifiedLayerNormalization (RMS norm)', async () => {
    const k = 128;
    const rng = new Rng(18);
    const g = createGraph('g');
    g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: ['T', k] } });
    g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: ['T', N] } });
    const gamma = rng.normalArray(k, 1, 0.1);
    g.initializers.set('gamma', new Tensor('float32', gamma, [k]));
    g.initializers.set('w', new Tensor('float32', rng.normalArray(k * N, 0, 0.05), [k, N]));
    g.nodes.push({ name: 'norm', opType: 'SimplifiedLayerNormalization', domain: '', inputs: ['x', 'gamma'], outputs: ['h'], attributes: [{ name: 'axis', value: { kind: 'int', value: -1 } }] });
    g.nodes.push({ name: 'mm', opType: 'MatMul', domain: '', inputs: ['h', 'w'], outputs: ['y'], attributes: [] });
    const calibration = [{ x: new Tensor('float32', outlierRows(80, 16, k, [2, 50], 10), [16, k]) }];
    const { model, report } = await quantizeInt4(createModel(g, 17), { blockSize: 64 }, { executor: exactOrt, calibration });
    expect(report.scaledInputs).toEqual([{ input: 'h', nodes: ['mm'], fold: 'parent', into: 'norm' }]);
    const norm = model.graph.nodes.find((n) => n.name === 'norm')!;
    const folded = model.graph.initializers.get(norm.inputs[1]!)!.data as Float32Array;
    const s = Float32Array.from(gamma, (v, i) => v / folded[i]!);
    // the weight written is Q(W·diag(s)): its rows carry the same s that divided gamma
    const wq = dequantizedWeight(model, 'mm').values;
    const w = g.initializers.get('w')!.data as Float32Array;
    let num = 0;
    let den = 0;
    for (let r = 0; r < k; r++) for (let j = 0; j < N; j++) { num += (wq[r * N + j]! / s[r]! - w[r * N + j]!) ** 2; den += w[r * N + j]! ** 2; }
    expect(num / den).toBeLessThan(0.02);
  });

  it('on the BERT-like encoder, awq_lite is not worse than rtn in output SQNR against float on held-out token batches', async () => {
    const float = buildBertEncoder({ layers: 1, hidden: 128, heads: 2, intermediate: 256, vocab: 500, maxPosition: 64 });
    const calibration = tokenBatches(1, 4, 2, 16, 500);
    const heldOut = tokenBatches(2, 3, 2, 16, 500);
    const awq = await quantizeInt4(float, { blockSize: 64 }, { executor: exactOrt, calibration });
    const rtn = await quantizeInt4(float, { algorithm: 'rtn', blockSize: 64 });
    expect(awq.report.quantized).toHaveLength(6);
    expect(awq.report.layers).toHaveLength(6);
    const awqDb = await outputSqnr(exactOrt, float, awq.model, heldOut, 'last_hidden_state');
    const rtnDb = await outputSqnr(exactOrt, float, rtn.model, heldOut, 'last_hidden_state');
    expect(rtnDb).toBeGreaterThan(10);
    expect(awqDb).toBeGreaterThanOrEqual(rtnDb);
  });
});
