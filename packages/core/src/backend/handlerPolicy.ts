/** A placement policy built from per-op handlers (one handler per op family, as backends write them). */
import type { Node } from '../ir/graph.js';
import type { AnnotateContext, OpHandler } from '../annotate/annotation.js';
import { QtkError } from '../errors/QtkError.js';
import type { PlacementPolicy } from './backend.js';

/**
 * The policy that gives each node to the handler of its op type. An op type claimed by two
 * handlers is an E_PLUGIN error naming it.
 *
 * Example: `policyFromHandlers([convHandler, matmulHandler]).opTypes` is
 * `['Conv', 'ConvTranspose', 'Gemm', 'MatMul']`.
 */
export function policyFromHandlers(handlers: readonly OpHandler[]): PlacementPolicy {
  const byOp = new Map<string, OpHandler>();
  for (const h of handlers) {
    for (const t of h.opTypes) {
      if (byOp.has(t)) throw new QtkError('E_PLUGIN', `op type '${t}' has two placement handlers`, { node: t });
      byOp.set(t, h);
    }
  }
  return {
    opTypes: [...byOp.keys()],
    place(node: Node, ctx: AnnotateContext) {
      const h = byOp.get(node.opType);
      return h ? h.annotate(node, ctx) : 'no quantization rule for this op type';
    },
  };
}
