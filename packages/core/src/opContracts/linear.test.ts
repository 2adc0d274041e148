import { describe, expect, it } from 'vitest';
import type { Node } from '../ir/graph.js';
import { opContract } from './registry.js';
import { biasInputIndex, channelGroups, linearFormProblem, resolveWeight } from './weights.js';

/** A node of `opType` with integer and float attributes. */
function node(opType: string, ints: Record<string, number> = {}, floats: Record<string, number> = {}): Node {
  return {
    name: `${opType}_0`, opType, domain: '', inputs: ['x', 'w', 'b'], outputs: ['y'],
    attributes: [
      ...Object.entries(ints).map(([name, value]) => ({ name, value: { kind: 'int' as const, value } })),
      ...Object.entries(floats).map(([name, value]) => ({ name, value: { kind: 'float' as const, value } })),
    ],
  };
}

describe('Gemm contract', () => {
  it('puts output channels on axis 1 and the sum on axis 0 of B [K, N] when transB=0', () => {
    expect(resolveWeight(node('Gemm'), 2)).toEqual({ input: 1, channelAxis: 1, reductionAxis: 0 });
    expect(resolveWeight(node('Gemm', { transB: 0 }), 2)).toEqual({ input: 1, channelAxis: 1, reductionAxis: 0 });
  });
  it('puts output channels on axis 0 and the sum on axis 1 of B [N, K] when transB=1', () => {
    expect(resolveWeight(node('Gemm', { transB: 1 }), 2)).toEqual({ input: 1, channelAxis: 0, reductionAxis: 1 });
  });
  it('gives no axes for a B that is not 2-D', () => {
    expect(resolveWeight(node('Gemm', { transB: 1 }), 3)).toEqual({ input: 1, channelAxis: undefined, reductionAxis: undefined });
  });
  it('has bias C on input 2 adding to the channels of input 1', () => {
    expect(opContract('Gemm')?.bias).toEqual({ input: 2, weight: 1 });
  });
  it('names transA=1 and alpha/beta other than 1 as departures from the plain linear form', () => {
    expect(linearFormProblem(node('Gemm'))).toBeUndefined();
    expect(linearFormProblem(node('Gemm', { transA: 1 }))).toBe('transA=1');
    expect(linearFormProblem(node('Gemm', {}, { alpha: 2 }))).toBe('alpha/beta other than 1');
    expect(linearFormProblem(node('Gemm', {}, { beta: 0.5 }))).toBe('alpha/beta other than 1');
  });
});

describe('MatMul contract', () => {
  it('puts channels on the last axis and the sum on axis 0 of a 2-D B [K, N]', () => {
    expect(resolveWeight(node('MatMul'), 2)).toEqual({ input: 1, channelAxis: 1, reductionAxis: 0 });
  });
  it('puts channels on axis 2 and the sum on axis 1 of a batched 3-D B [b, K, N]', () => {
    expect(resolveWeight(node('MatMul'), 3)).toEqual({ input: 1, channelAxis: 2, reductionAxis: 1 });
  });
  it('gives a 1-D B [K] a reduction axis but no channel axis', () => {
    expect(resolveWeight(node('MatMul'), 1)).toEqual({ input: 1, channelAxis: undefined, reductionAxis: 0 });
  });
  it('has no bias input and is always in plain linear form', () => {
    expect(biasInputIndex(node('MatMul'))).toBeUndefined();
    expect(linearFormProblem(node('MatMul'))).toBeUndefined();
  });
});

describe('Conv and ConvTranspose contracts', () => {
  it('puts Conv output channels on axis 0 and input channels on axis 1 of W [M, C/g, kH, kW]', () => {
    expect(resolveWeight(node('Conv'), 4)).toEqual({ input: 1, channelAxis: 0, reductionAxis: 1 });
    expect(resolveWeight(node('Conv'), 3)).toEqual({ input: 1, channelAxis: 0, reductionAxis: 1 });
  });
  it('puts ConvTranspose output channels on axis 1 and input channels on axis 0 of W [C, M/g, kH, kW]', () => {
    expect(resolveWeight(node('ConvTranspose'), 4)).toEqual({ input: 1, channelAxis: 1, reductionAxis: 0 });
  });
  it('keeps the axes and reports the group count of grouped and depthwise convolutions', () => {
    const depthwise = node('Conv', { group: 32 });
    expect(resolveWeight(depthwise, 4)).toEqual({ input: 1, channelAxis: 0, reductionAxis: 1 });
    expect(channelGroups(depthwise)).toBe(32);
    const grouped = node('ConvTranspose', { group: 4 });
    expect(resolveWeight(grouped, 4)).toEqual({ input: 1, channelAxis: 1, reductionAxis: 0 });
    expect(channelGroups(grouped)).toBe(4);
    expect(channelGroups(node('Conv'))).toBe(1);
  });
  it('has bias B on input 2 for both and no linear-form problem', () => {
    expect(biasInputIndex(node('Conv'))).toBe(2);
    expect(biasInputIndex(node('ConvTranspose'))).toBe(2);
    expect(linearFormProblem(node('Conv', { group: 2 }))).toBeUndefined();
  });
  it('plays the linear role for every linear op', () => {
    for (const op of ['Conv', 'ConvTranspose', 'Gemm', 'MatMul']) expect(opContract(op)?.role).toBe('linear');
  });
});
