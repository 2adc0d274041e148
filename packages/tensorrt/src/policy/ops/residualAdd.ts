/**
 * Add. A residual Add — a convolution's output (after its epilogue) plus a skip branch —
 * runs as that convolution's epilogue in TensorRT: Q/DQ goes on the skip branch only, and the
 * convolution's side stays float so that the fusion happens. Every other Add stays float: a
 * bias Add of a constant folds into the op before it, and an Add without a convolution to
 * join is a float pointwise op.
 */
import { nonFloatReason, type AnnotateContext, type Node, type OpHandler } from '@qtk/core';
import { convEpilogueSource, distancesToCommonAncestor, hasConstantInput } from '../graphWalk.js';

/**
 * The input of residual Add `node` that is the skip branch, or a reason why the Add is not
 * residual. With a convolution on one side only, the other side is the skip branch (unless
 * it descends from that same convolution). With convolutions on both sides (a downsample
 * branch), the side with the longer path back to where the branches split is the main branch
 * and fuses; the shorter one is the skip branch.
 */
export function skipBranch(ctx: AnnotateContext, node: Node): { skip: string; fusedInto: Node } | string {
  const [a, b] = node.inputs as [string, string];
  const convA = convEpilogueSource(ctx.index, a);
  const convB = convEpilogueSource(ctx.index, b);
  if (!convA && !convB) return 'no Conv before this Add to fuse it into: TensorRT runs it as a float pointwise op';
  if (convA && convA === convB) return 'both inputs come from the same Conv: not a residual Add';
  const pa = ctx.index.producer(a);
  const pb = ctx.index.producer(b);
  const split = pa && pb ? distancesToCommonAncestor(ctx.index, pa, pb) : undefined;
  if (convA && convB) {
    // Equal paths: the first input is taken as the main branch, as the exporter writes `out + identity`.
    return split && split.db > split.da ? { skip: a, fusedInto: convB } : { skip: b, fusedInto: convA };
  }
  const conv = (convA ?? convB)!;
  if (split?.ancestor === conv) return `both inputs descend from '${conv.name}': not a residual Add`;
  return convA ? { skip: b, fusedInto: convA } : { skip: a, fusedInto: convB! };
}

/** Static handler for Add: the skip input of a residual Add is quantized; every other Add stays float. */
export const residualAddHandler: OpHandler = {
  opTypes: ['Add'],
  annotate(node, ctx) {
    const [a, b] = node.inputs;
    if (!a || !b) return 'missing input';
    if (hasConstantInput(ctx.index, node)) return 'Add of a constant (a bias): TensorRT folds it into the op before it';
    const bad = nonFloatReason(ctx, a) ?? nonFloatReason(ctx, b);
    if (bad) return bad;
    const branch = skipBranch(ctx, node);
    if (typeof branch === 'string') return branch;
    ctx.markActivation(branch.skip);
  },
};
