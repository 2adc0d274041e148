import { describe, expect, it } from 'vitest';
import type { Node } from '../ir/graph.js';
import { OP_CONTRACT_LIST, OP_CONTRACTS, opContract } from './registry.js';
import { biasName, resolveWeight, weightInputIndex, weightName } from './weights.js';

/** A node of `opType` in `domain`. */
function node(opType: string, domain = ''): Node {
  return { name: 'n', opType, domain, inputs: ['x', 'w'], outputs: ['y'], attributes: [] };
}

describe('op contract table', () => {
  it('holds each op type once', () => {
    expect(OP_CONTRACTS.size).toBe(OP_CONTRACT_LIST.length);
  });
  it('gives each role to the op families it names', () => {
    const roles: Record<string, readonly string[]> = {
      passthrough: ['Reshape', 'Transpose', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'Slice', 'Expand', 'Tile', 'DepthToSpace', 'SpaceToDepth', 'Split', 'MaxPool', 'GlobalMaxPool', 'Pad', 'Resize', 'ReduceMax', 'ReduceMin', 'TopK'],
      merge: ['Concat', 'Where'],
      elementwise: ['Add', 'Mul', 'Sub', 'Div'],
      activation: ['Relu', 'Clip', 'Sigmoid', 'Softmax', 'LeakyRelu', 'HardSwish', 'Tanh', 'Gelu', 'PRelu'],
      normalization: ['LayerNormalization', 'InstanceNormalization', 'BatchNormalization'],
      pool: ['AveragePool', 'GlobalAveragePool'],
      reduce: ['ReduceMean', 'ReduceSum', 'CumSum'],
      select: ['ArgMax', 'ArgMin'],
    };
    for (const [role, ops] of Object.entries(roles)) {
      for (const op of ops) expect({ op, role: opContract(op)?.role }).toEqual({ op, role });
    }
  });
  it('gives only linear ops and gathers weight inputs', () => {
    const withWeights = OP_CONTRACT_LIST.filter((c) => c.weights.length > 0).map((c) => c.opType).sort();
    expect(withWeights).toEqual(['Conv', 'ConvTranspose', 'Gather', 'GatherElements', 'GatherND', 'Gemm', 'MatMul']);
  });
  it('lists the learned per-channel inputs of normalizations and PRelu as parameters', () => {
    expect(opContract('BatchNormalization')?.params).toEqual([1, 2, 3, 4]);
    expect(opContract('LayerNormalization')?.params).toEqual([1, 2]);
    expect(opContract('PRelu')?.params).toEqual([1]);
    expect(opContract('Relu')?.params).toEqual([]);
  });
  it('returns undefined for unknown op types and for nodes outside the default domain', () => {
    expect(opContract('NoSuchOp')).toBeUndefined();
    expect(opContract(node('MatMul', 'com.microsoft'))).toBeUndefined();
    expect(weightInputIndex(node('NoSuchOp'))).toBeUndefined();
    expect(resolveWeight(node('Relu'), 2)).toBeUndefined();
  });
  it('names the weight and bias inputs of a node, leaving absent or empty inputs undefined', () => {
    const conv: Node = { name: 'c', opType: 'Conv', domain: '', inputs: ['x', 'w', 'b'], outputs: ['y'], attributes: [] };
    expect([weightName(conv), biasName(conv)]).toEqual(['w', 'b']);
    expect(biasName({ ...conv, inputs: ['x', 'w', ''] })).toBeUndefined();
    expect(biasName({ ...conv, inputs: ['x', 'w'] })).toBeUndefined();
    expect(weightName(node('Gather'))).toBe('x');
    expect([weightName(node('Relu')), biasName(node('MatMul'))]).toEqual([undefined, undefined]);
  });
  it('finds a node in the default domain by either spelling of it', () => {
    expect(opContract(node('Conv'))?.opType).toBe('Conv');
    expect(opContract(node('Conv', 'ai.onnx'))?.opType).toBe('Conv');
  });
  it('is frozen so one reader cannot change a contract for the others', () => {
    const gemm = opContract('Gemm')!;
    expect(Object.isFrozen(gemm)).toBe(true);
    expect(Object.isFrozen(gemm.weights)).toBe(true);
    expect(Object.isFrozen(gemm.weights[0])).toBe(true);
    expect(Object.isFrozen(gemm.bias)).toBe(true);
    expect(Object.isFrozen(OP_CONTRACT_LIST)).toBe(true);
  });
});
