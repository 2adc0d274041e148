import { describe, expect, it } from 'vitest';
import { createModel, type Model } from '../ir/graph.js';
import { TinyGraph, annotateTiny } from '../annotate/test-support/tinyGraph.js';
import { weightQParams } from '../convert/qdq.js';
import { fakeQuantize } from '../quant/quantize.js';
import { biasTargets, correctBiases, withChannelMeanOutputs } from './biasCorrection.js';

/** x [1, 4, 3, 3] → Conv (weights not on the int8 grid, bias 0.1) → y. */
function convModel(opset = 17): Model {
  const t = new TinyGraph();
  const x = t.input('x', [1, 4, 3, 3]);
  t.floats('w', [4, 4, 1, 1], [0.5, -0.2513, 0.1271, 0.0333, -0.377]);
  t.floats('b', [4], [0.1]);
  t.node('conv', 'Conv', [x, 'w', 'b'], ['y']);
  t.output('y');
  return createModel(t.graph, opset);
}

/** x [1, 4] → Gemm (weight [4, 3], or [3, 4] with transB=1, bias [3], integer attributes `attrs`) → y. */
function gemmModel(attrs: Record<string, number>): Model {
  const t = new TinyGraph();
  const x = t.input('x', [1, 4]);
  t.floats('w', attrs.transB ? [3, 4] : [4, 3], [0.5, -0.2513, 0.1271]);
  t.floats('b', [3], [0.1]);
  const attributes = Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, { kind: 'int' as const, value: v }]));
  t.node('gemm', 'Gemm', [x, 'w', 'b'], ['y'], attributes);
  t.output('y');
  return createModel(t.graph, 17);
}

describe('bias correction in the pipeline', () => {
  it.each([[0, false], [1, true]])('targets a Gemm with transB=%i with the gemm layout transB=%s', (transB, expected) => {
    const m = gemmModel({ transB });
    expect(biasTargets(m, annotateTiny(m.graph)).map((t) => t.layout)).toEqual([{ kind: 'gemm', transB: expected }]);
  });

  it('leaves out a Gemm whose alpha is not 1, since its bias is not added to the plain product', () => {
    const m = gemmModel({ transB: 1 });
    const ann = annotateTiny(m.graph);
    expect(biasTargets(m, ann)).toHaveLength(1);
    m.graph.nodes[0]!.attributes.push({ name: 'alpha', value: { kind: 'float', value: 2 } });
    expect(biasTargets(m, ann)).toEqual([]);
  });

  it('targets the quantized Conv with its input, weight and bias', () => {
    const m = convModel();
    const [target, ...rest] = biasTargets(m, annotateTiny(m.graph));
    expect(rest).toEqual([]);
    expect(target).toMatchObject({ input: 'x', weight: 'w', bias: 'b', layout: { kind: 'conv', group: 1 } });
  });

  it.each([[17, 'an axes attribute'], [18, 'an axes input']])('opset %i: channel means are a ReduceMean over axes 2 and 3 with %s, on a copy', (opset) => {
    const m = convModel(opset);
    const { model, means } = withChannelMeanOutputs(m, ['x', 'x', 'unknown']);
    expect([...means]).toEqual([['x', 'x_channel_means']]);
    const node = model.graph.nodes.find((n) => n.outputs[0] === 'x_channel_means')!;
    expect(node.opType).toBe('ReduceMean');
    const axes = opset >= 18 ? [...(model.graph.initializers.get(node.inputs[1]!)!.data as BigInt64Array)].map(Number) : node.attributes.find((a) => a.name === 'axes')!.value;
    expect(opset >= 18 ? axes : (axes as { value: number[] }).value).toEqual([2, 3]);
    expect(m.graph.nodes).toHaveLength(1);
  });

  it('subtracts the rounded weight\'s mean shift from the bias and leaves the old bias tensor as it was', () => {
    const m = convModel();
    const ann = annotateTiny(m.graph);
    const before = m.graph.initializers.get('b')!;
    const mean = Float32Array.of(1, 2, -1, 0.5);
    expect(correctBiases(m, ann, new Map([['x', mean]]))).toEqual(['b']);
    const w = m.graph.initializers.get('w')!;
    const role = ann.tensors.get('w')!;
    if (role.kind !== 'weight') throw new Error('w is not a weight');
    const qp = weightQParams(w, role.spec, 'w');
    const wq = fakeQuantize(w, qp.scale, qp.zeroPoint, qp.dtype, { axis: qp.axis }).data as Float32Array;
    const after = m.graph.initializers.get('b')!.data as Float32Array;
    let moved = 0;
    for (let o = 0; o < 4; o++) {
      let shift = 0;
      for (let c = 0; c < 4; c++) shift += (wq[o * 4 + c]! - w.get(o * 4 + c)) * mean[c]!;
      expect(after[o]).toBeCloseTo(0.1 - shift, 6);
      moved += Math.abs(shift);
    }
    expect(moved).toBeGreaterThan(1e-5);
    expect([...(before.data as Float32Array)]).toEqual([0.1, 0.1, 0.1, 0.1].map(Math.fround));
    expect(before).not.toBe(m.graph.initializers.get('b'));
  });

  it('leaves the bias alone without means for the input', () => {
    const m = convModel();
    const before = m.graph.initializers.get('b');
    expect(correctBiases(m, annotateTiny(m.graph), new Map())).toEqual([]);
    expect(m.graph.initializers.get('b')).toBe(before);
  });

  it('targets a float bias the placement left unmarked (TensorRT, NNCF) when the weight is quantized, and corrects it in float', () => {
    const m = convModel();
    const ann = annotateTiny(m.graph);
    ann.tensors.delete('b');
    const [target] = biasTargets(m, ann);
    expect(target).toMatchObject({ input: 'x', weight: 'w', bias: 'b' });
    expect(correctBiases(m, ann, new Map([['x', Float32Array.of(1, 2, -1, 0.5)]]))).toEqual(['b']);
    expect(m.graph.initializers.get('b')!.dtype).toBe('float32');
    expect([...(m.graph.initializers.get('b')!.data as Float32Array)]).not.toEqual([0.1, 0.1, 0.1, 0.1].map(Math.fround));
  });

  it('leaves a float bias alone when its weight stays float or another node reads the bias too', () => {
    const m = convModel();
    const ann = annotateTiny(m.graph);
    ann.tensors.delete('b');
    const weightRole = ann.tensors.get('w')!;
    ann.tensors.delete('w');
    expect(biasTargets(m, ann)).toEqual([]);
    ann.tensors.set('w', weightRole);
    m.graph.nodes.push({ name: 'reuse', opType: 'Add', domain: '', inputs: ['y', 'b'], outputs: ['z'], attributes: [] });
    expect(biasTargets(m, ann)).toEqual([]);
  });
});
