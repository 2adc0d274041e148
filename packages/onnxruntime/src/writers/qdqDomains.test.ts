import { describe, expect, it } from 'vitest';
import { convertToQdq, createGraph, createModel, quantSpec, PER_TENSOR, Tensor, type Model, type Node } from '@qtk/core';
import { opsetRaiseBlockers } from '@qtk/core/internal';
import { expectQtkError } from '../../../core/src/test-support/expectQtkError.js';
import { ortQdqDialect, planQdqDomains, qdqFlavor } from './qdqDomains.js';

const node = (opType: string, i: number): Node => ({ name: `n${i}`, opType, domain: '', inputs: [`v${i}`], outputs: [`v${i + 1}`], attributes: [] });
function modelWith(opset: number, ops: string[]): Model {
  const g = createGraph('g');
  ops.forEach((op, i) => g.nodes.push(node(op, i)));
  return createModel(g, opset);
}

describe('qdqFlavor picks the Q/DQ domain per type and granularity', () => {
  it('keeps int8/uint8 in the ONNX domain from opset 13 and in com.microsoft below', () => {
    expect(qdqFlavor(modelWith(13, []), { dtype: 'uint8' }).domain).toBe('');
    const old = modelWith(11, []);
    expect(qdqFlavor(old).domain).toBe('com.microsoft');
    expect(old.opsetImports.get('com.microsoft')).toBe(1);
  });

  it('sends int16/uint16/int4/uint4 to com.microsoft below opset 21 and to ONNX at 21', () => {
    for (const dtype of ['int16', 'uint16', 'int4', 'uint4'] as const) {
      const m = modelWith(17, []);
      expect(qdqFlavor(m, { dtype }).domain).toBe('com.microsoft');
      expect(qdqFlavor(modelWith(21, []), { dtype }).domain).toBe('');
    }
  });

  it('writes float8e4m3fn pairs as ONNX ops, raising opset 17 to 19 (IR 9) and refusing a Split at opset 13', () => {
    const m = modelWith(17, ['Relu']);
    const [flavor] = planQdqDomains(m, [{ dtype: 'float8e4m3fn', tensor: 'x' }]);
    expect(flavor!.domain).toBe('');
    expect([m.opsetImports.get(''), m.irVersion, m.opsetImports.has('com.microsoft')]).toEqual([19, 9, false]);
    const split = modelWith(13, ['Split']);
    expectQtkError(() => planQdqDomains(split, [{ dtype: 'float8e4m3fn', tensor: 'x' }]), 'E_UNSUPPORTED', 'Split');
    expect(split.opsetImports.get('')).toBe(13);
  });

  it('raises the IR version to 10 for 4-bit types', () => {
    const m = modelWith(17, []);
    qdqFlavor(m, { dtype: 'int4' });
    expect(m.irVersion).toBe(10);
  });

  it('raises opset 17 to 21 for a blocked tensor when every op keeps its meaning', () => {
    const m = modelWith(17, ['Conv', 'Relu', 'MatMul', 'Resize', 'Pad']);
    expect(qdqFlavor(m, { dtype: 'int4', blocked: true, tensor: 'w' }).domain).toBe('');
    expect(m.opsetImports.get('')).toBe(21);
    expect(m.irVersion).toBeGreaterThanOrEqual(10);
  });

  it('refuses a blocked tensor with E_UNSUPPORTED naming the tensor and the op when Split would change meaning', () => {
    const m = modelWith(17, ['MatMul', 'Split']);
    const err = expectQtkError(() => qdqFlavor(m, { dtype: 'int8', blocked: true, tensor: 'fc.weight' }), 'E_UNSUPPORTED', "'fc.weight'");
    expect(err.message).toContain('Split');
    expect(err.where.tensor).toBe('fc.weight');
    expect(m.opsetImports.get('')).toBe(17);
  });

  it('raises an opset-16 model holding ReduceMean (also inside an If body) to 21 with its axes moved to an int64 input', () => {
    const m = modelWith(16, ['MatMul']);
    const reduce: Node = { name: 'rm', opType: 'ReduceMean', domain: '', inputs: ['a'], outputs: ['b'], attributes: [{ name: 'axes', value: { kind: 'ints', value: [1, -1] } }, { name: 'keepdims', value: { kind: 'int', value: 0 } }] };
    const body = createGraph('then');
    body.nodes.push(reduce, { name: 'all', opType: 'ReduceMax', domain: '', inputs: ['b'], outputs: ['c'], attributes: [] });
    m.graph.nodes.push({ name: 'if', opType: 'If', domain: '', inputs: ['cond'], outputs: ['z'], attributes: [{ name: 'then_branch', value: { kind: 'graph', value: body } }] });
    expect(opsetRaiseBlockers(m)).toEqual([]);
    expect(qdqFlavor(m, { dtype: 'int4', blocked: true, tensor: 'w' }).domain).toBe('');
    expect(m.opsetImports.get('')).toBe(21);
    expect(reduce.inputs).toEqual(['a', 'rm_axes']);
    expect(reduce.attributes.map((a) => a.name)).toEqual(['keepdims']);
    expect(Array.from(body.initializers.get('rm_axes')!.data as BigInt64Array, Number)).toEqual([1, -1]);
    // Without axes both forms reduce every axis: the node stays as it was.
    expect(body.nodes[1]!.inputs).toEqual(['b']);
  });

  it('does not count ReduceMean against a model already at opset 18', () => {
    expect(opsetRaiseBlockers(modelWith(18, ['ReduceMean']))).toEqual([]);
    expect(opsetRaiseBlockers(modelWith(18, ['GridSample']))).toEqual(['GridSample (changed at opset 20)']);
  });

  it('refuses blocks below opset 13', () => {
    expectQtkError(() => qdqFlavor(modelWith(11, ['Conv']), { dtype: 'int4', blocked: true, tensor: 'w' }), 'E_UNSUPPORTED', 'opset 11');
  });

  it('plans blocked uses first so every other use of the model moves to the ONNX domain', () => {
    const m = modelWith(17, ['Conv']);
    const domains = planQdqDomains(m, [{ dtype: 'int16' }, { dtype: 'int4', blocked: true, tensor: 'w' }]);
    expect(domains.map((d) => d.domain)).toEqual(['', '']);
    expect(m.opsetImports.has('com.microsoft')).toBe(false);
  });
});

describe('the QDQ writer with ortQdqDialect', () => {
  it('writes int16 activations and per-axis weights as com.microsoft Q/DQ and keeps opset 17', () => {
    const m = modelWith(17, []);
    m.graph.initializers.set('w', new Tensor('float32', Float32Array.from([0.5, -1, 2, 0.25]), [2, 2]));
    m.graph.nodes.push({ name: 'mm', opType: 'MatMul', domain: '', inputs: ['x', 'w'], outputs: ['y'], attributes: [] });
    const int16 = (granularity: Parameters<typeof quantSpec>[0]['granularity']) => quantSpec({ dtype: 'int16', symmetric: true, granularity, observer: { kind: 'minmax' } });
    const ann = {
      tensors: new Map([['x', { kind: 'activation' as const, spec: int16(PER_TENSOR) }], ['w', { kind: 'weight' as const, spec: int16({ kind: 'perAxis', axis: 1 }) }]]),
      quantized: new Set([m.graph.nodes[0]!]), fused: new Set<Node>(), float: [],
    };
    convertToQdq(m, ann, new Map([['x', { scale: Float32Array.of(0.01), zeroPoint: Int32Array.of(0), dtype: 'int16' as const }]]), ortQdqDialect);
    const qdq = m.graph.nodes.filter((n) => n.opType === 'QuantizeLinear' || n.opType === 'DequantizeLinear');
    expect(qdq.map((n) => n.domain)).toEqual(['com.microsoft', 'com.microsoft', 'com.microsoft']);
    expect(m.opsetImports.get('')).toBe(17);
    expect(m.opsetImports.get('com.microsoft')).toBe(1);
  });
});
