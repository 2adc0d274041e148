/**
 * Reading a node's weight, bias and axes from its op contract: the one place conversion,
 * bias correction and kernels learn which input is the weight and where its channels lie.
 */
import type { Node } from '../ir/graph.js';
import { opContract } from './registry.js';

/** A node's primary weight with its axes for a weight of known rank. */
export interface ResolvedWeight {
  /** Input index of the weight. */
  input: number;
  /** Output-channel axis, or undefined when the weight has none at this rank. */
  channelAxis: number | undefined;
  /** Reduction axis (blocks run along it), or undefined when the weight has none at this rank. */
  reductionAxis: number | undefined;
}

/** Input index of `node`'s primary weight; undefined when its op has no contract or no weight. */
export function weightInputIndex(node: Node): number | undefined {
  return opContract(node)?.weights[0]?.input;
}

/**
 * `node`'s primary weight and its axes when that weight has `rank` dimensions.
 * Example: Gemm transB=1, rank 2 → { input: 1, channelAxis: 0, reductionAxis: 1 }.
 */
export function resolveWeight(node: Node, rank: number): ResolvedWeight | undefined {
  const w = opContract(node)?.weights[0];
  return w && { input: w.input, channelAxis: w.channelAxis(node, rank), reductionAxis: w.reductionAxis(node, rank) };
}

/** Input index of `node`'s bias; undefined when its op takes none. */
export function biasInputIndex(node: Node): number | undefined {
  return opContract(node)?.bias?.input;
}

/** Name of `node`'s primary weight input; undefined when its op has no weight or the input is absent. */
export function weightName(node: Node): string | undefined {
  const i = weightInputIndex(node);
  return (i === undefined ? undefined : node.inputs[i]) || undefined;
}

/** Name of `node`'s bias input; undefined when its op takes none or the input is absent. */
export function biasName(node: Node): string | undefined {
  const i = biasInputIndex(node);
  return (i === undefined ? undefined : node.inputs[i]) || undefined;
}

/** Channel groups of `node`'s weight (Conv's `group`); 1 for ops without groups. */
export function channelGroups(node: Node): number {
  return opContract(node)?.groups?.(node) ?? 1;
}

/** Why `node` is not a plain product of data and weight plus bias (Gemm transA, alpha, beta); undefined when it is. */
export function linearFormProblem(node: Node): string | undefined {
  return opContract(node)?.linearFormProblem?.(node);
}
