/** The contract of one QOperator rewrite rule (one file per op family). */
import { type Node } from '@qtk/core';
import type { RewriteContext } from './context.js';

/** A successful rewrite: the node replacing the float op, and the nodes it makes redundant. */
export interface Rewrite {
  /** Takes the float op's place in the node list. */
  node: Node;
  /** Nodes dropped with the op: its QuantizeLinear and any fused Relu/Clip. */
  drop: Node[];
}

/**
 * What a rule answers for one node: a rewrite; a string saying why the node keeps its
 * QDQ form; or null when the node is not quantized (no DequantizeLinear feeds it).
 */
export type RuleResult = Rewrite | string | null;

/** Rewrites DQ → op → Q around nodes of some op types into one integer node. */
export interface QOperatorRule {
  readonly opTypes: readonly string[];
  rewrite(node: Node, ctx: RewriteContext): RuleResult;
}
