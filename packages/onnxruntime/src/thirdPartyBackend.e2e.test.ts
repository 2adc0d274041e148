import { describe, expect, it } from 'vitest';
import { attrInt, cloneModel, createRegistry, quantizeModel, Tensor, type Model, type Node } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { buildResNet18 } from '@qtk/models';
import { ortNode } from './node.js';
import { onnxruntimeBackend } from './policy.js';
import { DIGITS_MODEL, batchesOf, digitsRows, testAccuracy } from './test-support/digits.js';
import convMatmulInputs from './test-support/convMatmulInputsBackend.js';

/** The digits CNN with each Gemm (transB=1) written as MatMul by the transposed weight, then Add of the bias. */
function withMatMuls(model: Model): Model {
  const m = cloneModel(model);
  const g = m.graph;
  g.nodes = g.nodes.flatMap((n): Node[] => {
    if (n.opType !== 'Gemm') return [n];
    expect(attrInt(n, 'transB', 0)).toBe(1);
    const [x, w, b] = n.inputs as [string, string, string];
    const wt = g.initializers.get(w)!;
    const [rows, cols] = wt.dims as [number, number];
    const t = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = (wt.data as Float32Array)[r * cols + c]!;
    g.initializers.set(`${w}_t`, new Tensor('float32', t, [cols, rows]));
    g.initializers.delete(w);
    const mid = `${n.outputs[0]}_mm`;
    return [
      { name: `${n.name}_MatMul`, opType: 'MatMul', domain: '', inputs: [x, `${w}_t`], outputs: [mid], attributes: [] },
      { name: `${n.name}_Add`, opType: 'Add', domain: '', inputs: [mid, b], outputs: n.outputs, attributes: [] },
    ];
  });
  return m;
}

const readers = (m: Model, v: string) => m.graph.nodes.filter((n) => n.inputs.includes(v));
const producer = (m: Model, v: string) => m.graph.nodes.find((n) => n.outputs.includes(v));
const ops = (m: Model, op: string) => m.graph.nodes.filter((n) => n.opType === op);

describe('a third-party backend (Conv and MatMul inputs only, symmetric int8) through the whole pipeline on onnxruntime-node', async () => {
  const float = withMatMuls(await loadModelFile(DIGITS_MODEL));
  const registry = createRegistry();
  registry.register(convMatmulInputs);
  const calibration = () => batchesOf(digitsRows(0, 256).x, 32);
  const { model: q, report } = await quantizeModel(float, {}, { backend: 'conv-matmul-inputs', registry, executor: ortNode, calibration: calibration() });

  it('the float model is the digits CNN with 3 Convs and 2 MatMuls, and keeps its accuracy', async () => {
    expect([ops(float, 'Conv').length, ops(float, 'MatMul').length, ops(float, 'Gemm').length]).toEqual([3, 2, 0]);
    expect(await testAccuracy(float)).toBeGreaterThan(0.99);
  });

  it('puts DequantizeLinear before both data inputs of every Conv and MatMul, and before nothing else', () => {
    for (const n of [...ops(q, 'Conv'), ...ops(q, 'MatMul')]) {
      expect(n.inputs.slice(0, 2).map((v) => producer(q, v)?.opType)).toEqual(['DequantizeLinear', 'DequantizeLinear']);
    }
    for (const dq of ops(q, 'DequantizeLinear')) expect(readers(q, dq.outputs[0]!).map((r) => r.opType).every((t) => t === 'Conv' || t === 'MatMul')).toBe(true);
    expect(ops(q, 'DequantizeLinear').length).toBe(10);
  });

  it('quantizes no output and no bias: Conv biases stay float initializers, graph outputs come from float ops', () => {
    for (const conv of ops(q, 'Conv')) expect(q.graph.initializers.get(conv.inputs[2]!)?.dtype).toBe('float32');
    for (const o of q.graph.outputs) expect(producer(q, o.name)?.opType).toBe('Add');
    // every QuantizeLinear reads the input of a Conv or MatMul, never the output of one
    for (const ql of ops(q, 'QuantizeLinear')) expect(['Conv', 'MatMul']).not.toContain(producer(q, ql.inputs[0]!)?.opType);
    expect(report.quantized.map((n) => n.opType).sort()).toEqual(['Conv', 'Conv', 'Conv', 'MatMul', 'MatMul']);
  });

  it('makes every quantized tensor int8 with zero point 0 (weights per output channel)', () => {
    for (const n of [...ops(q, 'QuantizeLinear'), ...ops(q, 'DequantizeLinear')]) {
      const zp = q.graph.initializers.get(n.inputs[2]!)!;
      expect(zp.dtype).toBe('int8');
      expect(zp.toNumbers().every((z) => z === 0)).toBe(true);
    }
    const convWeight = q.graph.initializers.get(producer(q, ops(q, 'Conv')[0]!.inputs[1]!)!.inputs[0]!)!;
    expect(convWeight.dtype).toBe('int8');
    expect(report.options).toMatchObject({ activationType: 'int8', symmetricActivations: true, weightType: 'int8', symmetricWeights: true });
  });

  it('runs in onnxruntime-node with the float model accuracy within 2 points', async () => {
    expect(await testAccuracy(q)).toBeGreaterThan((await testAccuracy(float)) - 0.02);
  });

  it('places Q/DQ differently from the onnxruntime backend on the same model (which also quantizes outputs and Add)', async () => {
    const { model: ort } = await quantizeModel(float, {}, { backend: onnxruntimeBackend, executor: ortNode, calibration: calibration() });
    const dqReaders = new Set(ops(ort, 'DequantizeLinear').flatMap((dq) => readers(ort, dq.outputs[0]!).map((r) => r.opType)));
    expect(dqReaders.has('Add')).toBe(true);
    expect(ops(ort, 'QuantizeLinear').length).toBeGreaterThan(ops(q, 'QuantizeLinear').length);
  });

  it("leaves a 3-channel Conv as it is: onnxruntime's Conv widening belongs to the onnxruntime backend only", async () => {
    const resnet = buildResNet18({ seed: 1, batch: 1, imageSize: 32, numClasses: 10 });
    const images = [1, 2].map((seed) => ({ input: new Tensor('float32', Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => Math.sin(seed * 7 + i)), [1, 3, 32, 32]) }));
    const firstConvInput = (m: Model) => producer(m, ops(m, 'Conv')[0]!.inputs[0]!);
    // Without its validate: core's QDQ conversion gives a tensor one DequantizeLinear that every
    // reader shares, so the residual Adds of ResNet also read the DQ of a Conv input.
    const noCheck = { ...convMatmulInputs, validate: undefined };
    const { model: mine } = await quantizeModel(resnet, {}, { backend: noCheck, executor: ortNode, calibration: images });
    const { model: ort } = await quantizeModel(resnet, {}, { backend: onnxruntimeBackend, executor: ortNode, calibration: images });
    expect(producer(mine, firstConvInput(mine)!.inputs[0]!)?.opType).toBe('QuantizeLinear');
    expect(producer(mine, firstConvInput(mine)!.inputs[0]!)?.inputs[0]).toBe('input');
    expect(ops(mine, 'Concat').length).toBe(0);
    expect(ops(ort, 'Concat').length).toBe(1);
  });
});
