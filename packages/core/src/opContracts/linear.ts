/**
 * Contracts of the linear ops: Conv and ConvTranspose, Gemm and MatMul.
 * Weight layouts (ONNX): Conv W [M, C/group, k...], ConvTranspose W [C, M/group, k...],
 * Gemm B [K, N] or [N, K] with transB=1, MatMul B [..., K, N].
 */
import { attrFloat, attrInt, type Node } from '../ir/graph.js';
import type { OpContract, WeightAxis } from './types.js';

/** An axis fixed by the layout, present once the weight has at least `minRank` dimensions. */
function fixedAxis(axis: number, minRank: number): WeightAxis {
  return (_node, rank) => (rank >= minRank ? axis : undefined);
}

/** Conv's and ConvTranspose's `group` attribute (1 when absent). */
function groupOf(node: Node): number {
  return attrInt(node, 'group', 1);
}

/** A convolution contract: weight input 1 with the given axes, bias input 2, channel groups. */
function convolution(opType: string, channelAxis: number, reductionAxis: number): OpContract {
  return {
    opType,
    role: 'linear',
    weights: [{ input: 1, channelAxis: fixedAxis(channelAxis, 2), reductionAxis: fixedAxis(reductionAxis, 2) }],
    bias: { input: 2, weight: 1 },
    params: [],
    groups: groupOf,
  };
}

/** Conv: W [M, C/group, k...]: output channels on axis 0, summed input channels on axis 1; bias B [M]. */
export const CONV: OpContract = convolution('Conv', 0, 1);

/** ConvTranspose: W [C, M/group, k...]: output channels (within a group) on axis 1, input channels on axis 0; bias B [M]. */
export const CONV_TRANSPOSE: OpContract = convolution('ConvTranspose', 1, 0);

/** True when Gemm reads B as [N, K] (transB=1). */
function transB(node: Node): boolean {
  return attrInt(node, 'transB', 0) !== 0;
}

/** Gemm: B [K, N] (output channels on axis 1) or [N, K] with transB=1 (axis 0); bias C [N]. */
export const GEMM: OpContract = {
  opType: 'Gemm',
  role: 'linear',
  weights: [{
    input: 1,
    channelAxis: (node, rank) => (rank === 2 ? (transB(node) ? 0 : 1) : undefined),
    reductionAxis: (node, rank) => (rank === 2 ? (transB(node) ? 1 : 0) : undefined),
  }],
  bias: { input: 2, weight: 1 },
  params: [],
  linearFormProblem(node) {
    if (attrInt(node, 'transA', 0)) return 'transA=1';
    if (attrFloat(node, 'alpha', 1) !== 1 || attrFloat(node, 'beta', 1) !== 1) return 'alpha/beta other than 1';
    return undefined;
  },
};

/** MatMul: B [..., K, N]: output channels on the last axis, the sum over the one before; a 1-D B [K] has no channels. */
export const MATMUL: OpContract = {
  opType: 'MatMul',
  role: 'linear',
  weights: [{
    input: 1,
    channelAxis: (_node, rank) => (rank >= 2 ? rank - 1 : undefined),
    reductionAxis: (_node, rank) => (rank >= 2 ? rank - 2 : rank === 1 ? 0 : undefined),
  }],
  params: [],
};

/** Contracts of the linear ops. */
export const LINEAR_CONTRACTS: readonly OpContract[] = [CONV, CONV_TRANSPOSE, GEMM, MATMUL];
