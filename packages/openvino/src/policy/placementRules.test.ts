/**
 * NNCF's placement rules one at a time, on small graphs and on @qtk/models' BERT encoder:
 * what fuses, where a quantizer moves, which one is dropped, what the transformer rules keep
 * float.
 */
import { describe, expect, it } from 'vitest';
import { GraphIndex, quantizeModel, Tensor, type Graph } from '@qtk/core';
import { randomTensor } from '@qtk/core/testing';
import { buildBertEncoder, GraphBuilder } from '@qtk/models';
import { ortNode } from '@qtk/onnxruntime/node';
import { openvinoBackend } from '../backend.js';
import { HARDWARE_CONFIGS } from '../hwConfig/hwOps.js';
import { FlowGraph } from './flowGraph.js';
import { placeQuantizers, type Placement } from './quantizerPlacement.js';
import { transformerFloatNodes } from './transformerRules.js';

function place(g: Graph, transformer = false): Placement {
  const ignored = transformer ? transformerFloatNodes(new FlowGraph(g)) : new Map();
  return placeQuantizers(g, new GraphIndex(g), { hardware: HARDWARE_CONFIGS.CPU, ignored, dtypeOf: () => undefined });
}

/** The quantized values, each with the names of the ops it serves. */
const quantized = (p: Placement) => new Map(p.activations.map((q) => [q.tensor, q.sinks.map((n) => n.name).sort()]));

/** x [1,8] → MatMul(W) → `then` ops; returns the graph and the MatMul's output name. */
function linearThen(then: (b: GraphBuilder, y: string) => string, output = true): Graph {
  const b = new GraphBuilder('g', 1);
  const x = b.input('x', 'float32', [1, 8]);
  const w = b.initializer('W', new Tensor('float32', new Float32Array(64).fill(0.1), [8, 8]));
  const y = b.op('MatMul', [x, w], { name: 'mm' });
  const z = then(b, y);
  if (output) b.output(z, 'float32', [1, 8]);
  return b.model(17).graph;
}

describe('NNCF placement rules', () => {
  it('linear_arithmetic: a MatMul and its bias Add fuse, so nothing is quantized between them', () => {
    const g = linearThen((b, y) => b.op('Add', [y, b.scalar(0.5)], { name: 'bias' }));
    const p = place(g);
    expect(p.units.get(g.nodes.find((n) => n.name === 'bias')!)!.pattern).toBe('linear_arithmetic');
    expect([...quantized(p).keys()]).toEqual(['x']);
    expect(p.weights.map((w) => [w.tensor, w.axis])).toEqual([['W', 1]]);
  });

  it('a residual Add is not fused with the MatMul before it: the MatMul output and the other input are quantized', () => {
    const g = linearThen((b, y) => b.op('Add', [y, 'x'], { name: 'residual' }));
    const q = quantized(place(g));
    expect(q.get('x')).toEqual(['mm', 'residual']);
    expect(q.get(g.nodes.find((n) => n.name === 'mm')!.outputs[0]!)).toEqual(['residual']);
  });

  it('linear_activations: MatMul+Relu is quantized after the Relu, for the op that reads it', () => {
    const g = linearThen((b, y) => {
      const r = b.op('Relu', [y], { name: 'relu' });
      const w2 = b.initializer('W2', new Tensor('float32', new Float32Array(64).fill(0.1), [8, 8]));
      return b.op('MatMul', [r, w2], { name: 'mm2' });
    });
    const relu = g.nodes.find((n) => n.name === 'relu')!;
    expect(quantized(place(g))).toEqual(new Map([['x', ['mm']], [relu.outputs[0]!, ['mm2']]]));
  });

  it('an elementwise op with a constant operand gets no quantizer of its own', () => {
    const g = linearThen((b, y) => {
      const r = b.op('Relu', [y], { name: 'relu' });
      return b.op('Mul', [r, b.scalar(2)], { name: 'scale' });
    });
    expect([...quantized(place(g)).keys()]).toEqual(['x']);
  });

  it('quantizers move up through an agnostic op (Transpose) to the value it reads', () => {
    const g = linearThen((b, y) => {
      const r = b.op('Relu', [y], { name: 'relu' });
      const t = b.op('Transpose', [r], { name: 't', attrs: { perm: [0, 1] } });
      const w2 = b.initializer('W2', new Tensor('float32', new Float32Array(64).fill(0.1), [8, 8]));
      return b.op('MatMul', [t, w2], { name: 'mm2' });
    });
    const relu = g.nodes.find((n) => n.name === 'relu')!;
    expect(quantized(place(g)).get(relu.outputs[0]!)).toEqual(['mm2']);
  });

  it('a value also read by the model output keeps its quantizer on the asking input', () => {
    const b = new GraphBuilder('g', 1);
    const x = b.input('x', 'float32', [1, 8]);
    const w = b.initializer('W', new Tensor('float32', new Float32Array(64).fill(0.1), [8, 8]));
    const r = b.op('Relu', [b.op('MatMul', [x, w], { name: 'mm' })], { name: 'relu' });
    const w2 = b.initializer('W2', new Tensor('float32', new Float32Array(64).fill(0.1), [8, 8]));
    const y = b.op('MatMul', [r, w2], { name: 'mm2' });
    b.output(r, 'float32', [1, 8]);
    b.output(y, 'float32', [1, 8]);
    const q = place(b.model(17).graph).activations.find((a) => a.tensor === r)!;
    expect(q.ports.map((p) => [p.node.name, p.input])).toEqual([['mm2', 0]]);
  });

  it("BERT: GELU fuses (Div, Erf, Add, Mul); the FFN's second MatMul reads the only quantizer after it (past the ×0.5 Mul)", () => {
    const g = buildBertEncoder({ layers: 1, hidden: 32, heads: 2, intermediate: 64 }).graph;
    const p = place(g);
    const gelu = [...new Set(p.units.values())].filter((u) => u.pattern === 'gelu');
    expect(gelu.length).toBe(1);
    const inside = new Set(gelu[0]!.nodes.slice(0, -1).flatMap((n) => n.outputs));
    expect(p.activations.some((q) => inside.has(q.tensor))).toBe(false);
    const served = p.activations.filter((q) => q.sinks.some((n) => n.name === '/encoder/layer.0/output/dense/MatMul'));
    expect(served.map((q) => q.tensor)).toEqual(['/encoder/layer.0/intermediate/intermediate_act_fn/Mul_1_output_0']);
    expect(g.nodes.find((n) => n.outputs.includes(served[0]!.tensor))!.inputs).toContain(gelu[0]!.tail.outputs[0]!);
  });

  it("BERT with modelType transformer: Add, Mul and Div inputs stay float, Softmax·V stays float, every weighted MatMul's input is quantized", () => {
    const g = buildBertEncoder({ layers: 1, hidden: 32, heads: 2, intermediate: 64 }).graph;
    const p = place(g, true);
    const sinks = p.activations.flatMap((q) => q.sinks);
    expect(sinks.some((n) => ['Add', 'Mul', 'Div', 'Sub'].includes(n.opType))).toBe(false);
    expect(sinks.some((n) => n.name === '/encoder/layer.0/attention/self/MatMul_1')).toBe(false);
    const weighted = p.weights.filter((w) => w.node.opType === 'MatMul').map((w) => w.node);
    expect(weighted.length).toBe(6);
    for (const mm of weighted) expect(sinks).toContain(mm);
    // Q·Kᵀ has two activation inputs, both quantized.
    expect(p.activations.filter((q) => q.sinks.some((n) => n.name === '/encoder/layer.0/attention/self/MatMul')).length).toBe(2);
  });
});

describe('NNCF unified scales at a Concat', () => {
  /** x → Conv a, x → Conv b, Concat(a, b) → Conv c. */
  function concatGraph() {
    const b = new GraphBuilder('g', 1);
    const x = b.input('x', 'float32', [1, 2, 4, 4]);
    const conv = (input: string, name: string, inCh: number, seed: number) =>
      b.op('Conv', [input, b.initializer(`${name}.w`, new Tensor('float32', Float32Array.from({ length: 2 * inCh }, (_, i) => ((i * 7 + seed) % 5) - 2), [2, inCh, 1, 1]))], { name });
    const cat = b.op('Concat', [conv(x, 'a', 2, 1), conv(x, 'b', 2, 3)], { name: 'cat', attrs: { axis: 1 } });
    b.output(conv(cat, 'c', 4, 2), 'float32', [1, 2, 4, 4]);
    return b.model(17);
  }

  it("the quantizer of a Concat's reader moves onto the Concat's inputs, which share the Concat output's scale", () => {
    const g = concatGraph().graph;
    const p = place(g);
    const out = (name: string) => g.nodes.find((n) => n.name === name)!.outputs[0]!;
    expect(p.unified.map((u) => [u.concat.name, u.output])).toEqual([['cat', out('cat')]]);
    const unifiedInputs = p.activations.filter((q) => q.unifiedWith === out('cat')).map((q) => q.tensor).sort();
    expect(unifiedInputs).toEqual([out('a'), out('b')].sort());
    expect(p.activations.some((q) => q.tensor === out('cat'))).toBe(false);
  });

  it('quantizeModel writes Q/DQ with one scale on both Concat inputs and none after the Concat', async () => {
    const { model } = await quantizeModel(concatGraph(), {}, { backend: openvinoBackend, executor: ortNode, calibration: [{ x: randomTensor([1, 2, 4, 4], 9) }] });
    const g = model.graph;
    const cat = g.nodes.find((n) => n.name === 'cat')!;
    const dqs = cat.inputs.map((v) => g.nodes.find((n) => n.outputs.includes(v))!);
    expect(dqs.map((n) => n.opType)).toEqual(['DequantizeLinear', 'DequantizeLinear']);
    const scales = dqs.map((n) => g.initializers.get(n.inputs[1]!)!.toNumbers()[0]);
    expect(scales[0]).toBe(scales[1]);
    const c = g.nodes.find((n) => n.name === 'c')!;
    expect(c.inputs[0]).toBe(cat.outputs[0]);
  });
});
