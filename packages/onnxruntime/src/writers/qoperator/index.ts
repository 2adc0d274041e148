/**
 * QDQ → QOperator: each DequantizeLinear → op → QuantizeLinear group becomes one node
 * working on integers (QLinearConv, QLinearMatMul, com.microsoft QGemm, QLinearAdd, ...);
 * value-moving ops run on the integers themselves; a Relu/Clip the quantized range
 * already enforces disappears; Q → DQ → Q with equal parameters collapses; Q/DQ stay only
 * where float enters or leaves the integer region. Nodes onnxruntime's CPU kernels cannot
 * run in integer form keep their QDQ form and are listed with the reason.
 * Example: `const { converted, kept } = convertQdqToQOperator(model)` after `convertToQdq`.
 */
import { QtkError, type ConvertedNode as CoreConvertedNode, type FormatResult, type FormatWriter, type KeptNode as CoreKeptNode, type Model, type Node } from '@qtk/core';
import { convRule } from './conv.js';
import { matMulRule } from './matmul.js';
import { gemmRule } from './gemm.js';
import { addRule, mulRule } from './binary.js';
import { concatRule } from './concat.js';
import { averagePoolRule, globalAveragePoolRule } from './pool.js';
import { leakyReluRule, sigmoidRule } from './lookup.js';
import { softmaxRule } from './softmax.js';
import { passthroughRule } from './passthrough.js';
import { clampRule } from './clamp.js';
import { RewriteContext } from './context.js';
import { foldIdentityRequantize, removeUnreadQdq } from './cleanup.js';
import { isDequantizeNode, isQuantizeNode } from './quantParams.js';
import type { QOperatorRule } from './rule.js';

export type { QOperatorRule, Rewrite, RuleResult } from './rule.js';
export { RewriteContext, type Dequantized, type QuantizedOutput } from './context.js';
export { readQuantParams, sameQuantParams, isQuantizeNode, isDequantizeNode, type QuantParams } from './quantParams.js';
export { foldIdentityRequantize, removeUnreadQdq } from './cleanup.js';

/** The rules of the default conversion, one per op family. */
export const QOPERATOR_RULES: readonly QOperatorRule[] = [
  convRule, matMulRule, gemmRule, addRule, mulRule, concatRule, globalAveragePoolRule, averagePoolRule,
  sigmoidRule, leakyReluRule, softmaxRule, passthroughRule, clampRule,
];

/** A node rewritten to QOperator form: its name, former op type and new op type (`as`). */
export type ConvertedNode = CoreConvertedNode;
/** A quantized node left in QDQ form, and why. */
export type KeptNode = CoreKeptNode;
/** What convertQdqToQOperator did. */
export type QOperatorResult = FormatResult;

/**
 * Rewrites a QDQ model (in place) into QOperator form; see the module comment.
 * `rules` replaces the default rule set (e.g. for a runtime with other kernels); two rules
 * for one op type throw E_OPTION.
 */
export function convertQdqToQOperator(model: Model, rules: readonly QOperatorRule[] = QOPERATOR_RULES): QOperatorResult {
  const graph = model.graph;
  const byOp = new Map<string, QOperatorRule>();
  for (const r of rules) {
    for (const t of r.opTypes) {
      if (byOp.has(t)) throw new QtkError('E_OPTION', `two QOperator rules claim op type '${t}'`, { option: 'rules' });
      byOp.set(t, r);
    }
  }
  const ctx = new RewriteContext(model);
  const result: QOperatorResult = { converted: [], kept: [] };
  const replaced = new Map<Node, Node>();
  const dropped = new Set<Node>();
  for (const node of graph.nodes) {
    if (dropped.has(node) || isQuantizeNode(node) || isDequantizeNode(node)) continue;
    const rule = node.domain === '' || node.domain === 'ai.onnx' ? byOp.get(node.opType) : undefined;
    const r = rule ? rule.rewrite(node, ctx) : unhandled(node, ctx);
    if (r === null) continue;
    if (typeof r === 'string') {
      result.kept.push({ name: node.name, opType: node.opType, reason: r });
      continue;
    }
    replaced.set(node, r.node);
    for (const d of r.drop) dropped.add(d);
    result.converted.push({ name: node.name, opType: node.opType, as: r.node.opType });
  }
  const touched = new Set<string>();
  graph.nodes = graph.nodes.flatMap((n) => {
    if (dropped.has(n)) {
      for (const i of n.inputs) touched.add(i);
      for (const o of n.outputs) graph.valueInfo.delete(o);
      return [];
    }
    const r = replaced.get(n);
    if (!r) return [n];
    for (const i of n.inputs) touched.add(i);
    // Outputs change type or vanish; the runtime infers the new ones.
    for (const o of [...n.outputs, ...r.outputs]) graph.valueInfo.delete(o);
    return [r];
  });
  ctx.editor.commit();
  foldIdentityRequantize(graph);
  removeUnreadQdq(graph, touched);
  return result;
}

/** A node no rule handles: a reason when it sits in QDQ form (reads a DequantizeLinear), else null. */
function unhandled(node: Node, ctx: RewriteContext): string | null {
  const dq = node.inputs.some((v) => v && ctx.dequantized(v) !== undefined);
  return dq && ctx.quantizedOutput(node) !== undefined ? `no QOperator form for ${node.domain ? `${node.domain}.` : ''}${node.opType}` : null;
}

/** The QOperator format writer (`format: 'qoperator'`): rewrites the QDQ model the plan was written into. */
export const qoperatorWriter: FormatWriter = { format: 'qoperator', write: (model) => convertQdqToQOperator(model) };
