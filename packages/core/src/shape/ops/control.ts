/**
 * Shape rule of If: the outputs its two branches declare, where they agree. Branch
 * bodies are not inferred (subgraphs are left as they are); Loop and Scan have no rule.
 */
import { getAttr, type Dim, type Graph } from '../../ir/graph.js';
import type { ShapeRule, TensorInfo } from '../types.js';

function declared(g: Graph | undefined, k: number): TensorInfo | undefined {
  const t = g?.outputs[k]?.type;
  return t?.kind === 'tensor' ? { dtype: t.dtype, ...(t.shape ? { shape: [...t.shape] } : {}) } : undefined;
}

const ifRule: ShapeRule = (ctx) => {
  const branch = (name: string): Graph | undefined => {
    const a = getAttr(ctx.node, name);
    return a?.kind === 'graph' ? a.value : undefined;
  };
  const then = branch('then_branch');
  const otherwise = branch('else_branch');
  return ctx.node.outputs.map((_, k) => {
    const a = declared(then, k);
    const b = declared(otherwise, k);
    if (!a || !b || a.dtype !== b.dtype) return a && b ? undefined : ctx.noShape('a branch does not declare its output type');
    if (!a.shape || !b.shape || a.shape.length !== b.shape.length) return { dtype: a.dtype, shape: ctx.noShape('branches declare different ranks') };
    const shape: Dim[] = a.shape.map((d, i) => (d === b.shape![i] ? d : null));
    return { dtype: a.dtype, shape };
  });
};

/** Control-flow rules by op type. */
export const controlRules: ReadonlyArray<[string, ShapeRule]> = [['If', ifRule]];
