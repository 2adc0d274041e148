/**
 * The op table: for each supported op type (`'OpType'` in the default domain,
 * `'domain:OpType'` otherwise) a planner that declares outputs and run steps.
 */
import type { Node } from '@qtk/core';
import type { NodeCtx } from '../engine/context.js';

/** Plans one node: validates attributes against the input shapes, declares outputs and steps. */
export type OpPlanner = (ctx: NodeCtx) => void;

/** Checks a node's attributes before any shape is known; throws E_UNSUPPORTED. */
export type OpCheck = (node: Node) => void;

/** One supported op. */
export interface OpDef {
  plan: OpPlanner;
  check?: OpCheck;
}

/** Key of a node in the op table. */
export function opKey(node: Node): string {
  return node.domain === '' || node.domain === 'ai.onnx' ? node.opType : `${node.domain}:${node.opType}`;
}

/** Adds ops to a table. */
export function define(table: Map<string, OpDef>, names: string[], def: OpDef): void {
  for (const n of names) table.set(n, def);
}
