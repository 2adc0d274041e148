/**
 * Contracts of the gathers: their data input may be a constant table (an embedding), read by
 * index; every output value is a table value, so the role is passthrough.
 */
import { attrInt, type Node } from '../ir/graph.js';
import type { OpContract, WeightAxis } from './types.js';

/** No such axis: the weight is quantized as a whole. */
const NONE: WeightAxis = () => undefined;

/** Gather's `axis` attribute (default 0) in [0, rank), or undefined when outside the table. */
function gatherAxis(node: Node, rank: number): number | undefined {
  const raw = attrInt(node, 'axis', 0);
  const axis = raw < 0 ? raw + rank : raw;
  return axis >= 0 && axis < rank ? axis : undefined;
}

/**
 * Gather: table [rows, cols] read along `axis` (default 0): each gathered slice is a channel;
 * the last axis holds a slice's values (the row of an embedding table), or the one before it
 * when the table is gathered along its last axis.
 * Example: axis 0 of a [vocab, hidden] table → channel axis 0, reduction axis 1.
 */
export const GATHER: OpContract = {
  opType: 'Gather',
  role: 'passthrough',
  weights: [{
    input: 0,
    channelAxis: gatherAxis,
    reductionAxis(node, rank) {
      if (rank < 1) return undefined;
      return rank >= 2 && gatherAxis(node, rank) === rank - 1 ? rank - 2 : rank - 1;
    },
  }],
  params: [],
};

/** GatherElements: a constant table picked element by element; no channel structure. */
export const GATHER_ELEMENTS: OpContract = {
  opType: 'GatherElements', role: 'passthrough', weights: [{ input: 0, channelAxis: NONE, reductionAxis: NONE }], params: [],
};

/** GatherND: a constant table picked by index tuples; no channel structure. */
export const GATHER_ND: OpContract = {
  opType: 'GatherND', role: 'passthrough', weights: [{ input: 0, channelAxis: NONE, reductionAxis: NONE }], params: [],
};

/** Contracts of the gathers. */
export const GATHER_CONTRACTS: readonly OpContract[] = [GATHER, GATHER_ELEMENTS, GATHER_ND];
