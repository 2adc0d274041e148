/** The op contract table and its lookup by op type or node. */
import type { Node } from '../ir/graph.js';
import { isDefaultDomain } from '../opSchema/opSchemas.js';
import { GATHER_CONTRACTS } from './gather.js';
import { LINEAR_CONTRACTS } from './linear.js';
import {
  ACTIVATION_CONTRACTS, ELEMENTWISE_CONTRACTS, MERGE_CONTRACTS, NORMALIZATION_CONTRACTS, OTHER_CONTRACTS,
  PASSTHROUGH_CONTRACTS, POOL_CONTRACTS, REDUCE_CONTRACTS, SELECT_CONTRACTS,
} from './roles.js';
import type { OpContract } from './types.js';

/** A contract frozen with everything it holds, so no reader can change it for the others. */
function frozen(c: OpContract): OpContract {
  for (const w of c.weights) Object.freeze(w);
  Object.freeze(c.weights);
  Object.freeze(c.params);
  if (c.bias) Object.freeze(c.bias);
  return Object.freeze(c);
}

/** Every contract core knows, in table order (op types may repeat here only by mistake; a test checks). */
export const OP_CONTRACT_LIST: readonly OpContract[] = Object.freeze([
  ...LINEAR_CONTRACTS, ...GATHER_CONTRACTS, ...PASSTHROUGH_CONTRACTS, ...MERGE_CONTRACTS, ...ELEMENTWISE_CONTRACTS,
  ...ACTIVATION_CONTRACTS, ...NORMALIZATION_CONTRACTS, ...POOL_CONTRACTS, ...REDUCE_CONTRACTS, ...SELECT_CONTRACTS,
  ...OTHER_CONTRACTS,
].map(frozen));

/** Op contracts of the default ONNX domain, keyed by op type. */
export const OP_CONTRACTS: ReadonlyMap<string, OpContract> = new Map(OP_CONTRACT_LIST.map((c) => [c.opType, c]));

/**
 * The contract of an op type (default domain) or of a node's op; undefined for ops core has
 * no contract for, and for nodes of other domains.
 * Example: `opContract('Gemm')?.weights[0]?.channelAxis(node, 2)` → 0 when transB=1.
 */
export function opContract(op: string | Pick<Node, 'opType' | 'domain'>): OpContract | undefined {
  if (typeof op === 'string') return OP_CONTRACTS.get(op);
  return isDefaultDomain(op.domain) ? OP_CONTRACTS.get(op.opType) : undefined;
}
