import { describe, expect, it } from 'vitest';
import { createGraph, createModel, type Graph, type Model, type Node } from '../ir/graph.js';
import { modelNames } from '../ir/graphIndex.js';
import { graphScopes, scopeConstant } from '../ir/scopes.js';
import { Tensor } from '../ir/tensor.js';
import { quantizeModel } from '../pipeline/quantize.js';
import { convertDynamic } from './dynamic.js';
import { convertWeightOnly } from './weightOnly/index.js';
import { tinyBackend } from '../test-support/tinyBackend.js';

const ramp = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * (1 + (i % 3)));
const node = (name: string, opType: string, inputs: string[], outputs: string[]): Node => ({ name, opType, domain: '', inputs, outputs, attributes: [] });

/**
 * main: If(cond) over x [1, 32] → y. then_branch: MatMul(x, w_mm) with w_mm [32, 16] a body
 * initializer. else_branch: Reshape x to [1, 32, 1, 1], Conv with w_conv [16, 32, 1, 1], an
 * initializer of the main graph read from the body, and a body Constant bias; Reshape to [1, 16].
 */
function ifModel(opset = 17): Model {
  const main = createGraph('main');
  main.inputs.push({ name: 'cond', type: { kind: 'tensor', dtype: 'bool', shape: [] } }, { name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [1, 32] } });
  main.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: [1, 16] } });
  main.initializers.set('w_conv', new Tensor('float32', ramp(512), [16, 32, 1, 1]));
  const then: Graph = createGraph('then');
  then.initializers.set('w_mm', new Tensor('float32', ramp(512), [32, 16]));
  then.nodes.push(node('mm', 'MatMul', ['x', 'w_mm'], ['y_then']));
  then.outputs.push({ name: 'y_then' });
  const els: Graph = createGraph('else');
  els.initializers.set('shape4', Tensor.int64([1, 32, 1, 1]));
  els.initializers.set('shape2', Tensor.int64([1, 16]));
  els.initializers.set('bias', new Tensor('float32', ramp(16), [16]));
  els.nodes.push(node('to4d', 'Reshape', ['x', 'shape4'], ['x4']), node('conv', 'Conv', ['x4', 'w_conv', 'bias'], ['c4']), node('to2d', 'Reshape', ['c4', 'shape2'], ['y_else']));
  els.outputs.push({ name: 'y_else' });
  main.nodes.push({
    name: 'if', opType: 'If', domain: '', inputs: ['cond'], outputs: ['y'],
    attributes: [{ name: 'then_branch', value: { kind: 'graph', value: then } }, { name: 'else_branch', value: { kind: 'graph', value: els } }],
  });
  return createModel(main, opset);
}

const bodies = (m: Model) => {
  const [, then, els] = graphScopes(m);
  return { main: m.graph, then: then!.graph, els: els!.graph };
};

/** Every node and value name of every graph, counted; a name defined twice anywhere is a collision. */
function definedTwice(m: Model): string[] {
  const seen = new Map<string, number>();
  for (const { graph } of graphScopes(m)) {
    for (const n of [...graph.initializers.keys(), ...graph.nodes.flatMap((x) => [x.name, ...x.outputs])]) seen.set(n, (seen.get(n) ?? 0) + 1);
  }
  return [...seen].filter(([, k]) => k > 1).map(([n]) => n);
}

describe('graph scopes', () => {
  it('lists the main graph and both If branches with their paths, and finds outer initializers from a body', () => {
    const m = ifModel();
    const scopes = graphScopes(m);
    expect(scopes.map((s) => s.path)).toEqual([undefined, 'if.then_branch', 'if.else_branch']);
    expect(scopeConstant(scopes[2]!, 'w_conv')?.owner).toBe(scopes[0]);
    expect(scopeConstant(scopes[1]!, 'w_mm')?.owner).toBe(scopes[1]);
    expect(scopeConstant(scopes[2]!, 'x4')).toBeUndefined();
    expect(modelNames(m.graph).has('w_mm')).toBe(true);
  });
});

describe('dynamic conversion inside If branches', () => {
  const m = ifModel();
  const r = convertDynamic(m, { perChannel: true, weightType: 'int8' });
  const { main, then, els } = bodies(m);

  it('reports the MatMul and the Conv as quantized with the branch that holds them', () => {
    expect(r.quantized).toEqual([
      { name: 'mm', opType: 'MatMul', graph: 'if.then_branch' },
      { name: 'conv', opType: 'Conv', graph: 'if.else_branch' },
    ]);
    expect(r.float).toEqual([]);
  });

  it('turns the then-branch MatMul into DynamicQuantizeLinear → MatMulInteger with int8 weights in the body', () => {
    expect(then.nodes.map((n) => n.opType)).toEqual(['DynamicQuantizeLinear', 'MatMulInteger', 'Cast', 'Mul', 'Mul']);
    const mmi = then.nodes[1]!;
    expect(then.initializers.get(mmi.inputs[1]!)!.dtype).toBe('int8');
    expect(then.initializers.has('w_mm')).toBe(false);
    expect(then.nodes.at(-1)!.outputs).toEqual(['y_then']);
  });

  it('turns the else-branch Conv into ConvInteger with its outer-scope weight quantized (weightType int8, no writer) in the main graph and the float weight dropped', () => {
    const ci = els.nodes.find((n) => n.opType === 'ConvInteger')!;
    expect(main.initializers.get(ci.inputs[1]!)!.dtype).toBe('int8');
    expect(main.initializers.has('w_conv')).toBe(false);
    expect(els.nodes.some((n) => n.opType === 'Conv')).toBe(false);
    expect(els.nodes.find((n) => n.opType === 'Add')!.outputs).toEqual(['c4']);
  });

  it('writes uint8 ConvInteger weights (zero point 128) when a writer names uint8 as its ConvInteger type', () => {
    const m2 = ifModel();
    convertDynamic(m2, { perChannel: true, weightType: 'int8' }, { name: 'u8-only', convIntegerWeightType: 'uint8' });
    const { main: main2, els: els2 } = bodies(m2);
    const ci = els2.nodes.find((n) => n.opType === 'ConvInteger')!;
    expect(main2.initializers.get(ci.inputs[1]!)!.dtype).toBe('uint8');
    expect(main2.initializers.get(ci.inputs[3]!)!.toNumbers()).toEqual([128]);
  });

  it('gives every new name a spelling no other scope uses', () => {
    expect(definedTwice(m)).toEqual([]);
  });
});

describe('weight-only conversion inside If branches', () => {
  const m = ifModel();
  const r = convertWeightOnly(m, { weightType: 'int4', blockSize: 16, symmetric: true, scheme: 'uniform', codebookSize: 256 });
  const { main, then, els } = bodies(m);

  it('feeds the then-branch MatMul from a blocked DequantizeLinear (no runtime writer given) and imports no other domain', () => {
    expect(r.quantized.map((q) => `${q.graph}:${q.name}`)).toEqual(['if.then_branch:mm', 'if.else_branch:conv']);
    const mm = then.nodes.find((n) => n.opType === 'MatMul')!;
    const dq = then.nodes.find((n) => n.outputs[0] === mm.inputs[1])!;
    expect(dq.opType).toBe('DequantizeLinear');
    expect(dq.domain).toBe('');
    expect([...m.opsetImports.keys()]).toEqual(['']);
  });

  it('feeds the else-branch Conv from a blocked DequantizeLinear in the branch over int4 codes kept in the main graph', () => {
    const conv = els.nodes.find((n) => n.opType === 'Conv')!;
    const dq = els.nodes.find((n) => n.outputs[0] === conv.inputs[1])!;
    expect(dq.opType).toBe('DequantizeLinear');
    expect(main.initializers.get(dq.inputs[0]!)!.dtype).toBe('int4');
    expect(main.initializers.has('w_conv')).toBe(false);
    expect(m.opsetImports.get('')).toBe(21);
    expect(definedTwice(m)).toEqual([]);
  });
});

describe('quantizeModel with If branches', () => {
  it('lists body nodes as float with their branch in weight-only mode, excluded ones with the user reason', async () => {
    const { report } = await quantizeModel(ifModel(), { mode: 'weight-only', exclude: ['mm'] }, { backend: tinyBackend });
    expect(report.quantized).toEqual([{ name: 'conv', opType: 'Conv', graph: 'if.else_branch' }]);
    expect(report.float).toContainEqual({ name: 'mm', opType: 'MatMul', reason: 'excluded by user', graph: 'if.then_branch' });
    expect(report.float.find((f) => f.name === 'to4d')?.graph).toBe('if.else_branch');
  });

  it('turns a body Constant weight into a body initializer so dynamic mode quantizes it', async () => {
    const m = ifModel();
    const then = bodies(m).then;
    const w = then.initializers.get('w_mm')!;
    then.initializers.delete('w_mm');
    then.nodes.unshift({ name: 'wc', opType: 'Constant', domain: '', inputs: [], outputs: ['w_mm'], attributes: [{ name: 'value', value: { kind: 'tensor', value: w } }] });
    const { report } = await quantizeModel(m, { mode: 'dynamic' }, { backend: tinyBackend });
    expect(report.quantized.map((q) => q.name)).toEqual(['mm', 'conv']);
  });
});
