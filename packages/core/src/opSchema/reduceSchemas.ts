/** Attribute schemas of reductions: Reduce*, ArgMax and ArgMin. */
import { flag, int, ints, type OpSchema, type SchemaTable } from './types.js';

const reduce: OpSchema = { attrs: { axes: ints({ axes: { input: 0 }, unique: true }), keepdims: flag(), noop_with_empty_axes: flag() } };
const arg: OpSchema = { attrs: { axis: int({ axis: { input: 0 } }), keepdims: flag(), select_last_index: flag() } };

/** Reductions over axes, and index of the extreme along one axis. */
export const REDUCE_SCHEMAS: SchemaTable = {
  ReduceL1: reduce, ReduceL2: reduce, ReduceLogSum: reduce, ReduceLogSumExp: reduce, ReduceMax: reduce,
  ReduceMean: reduce, ReduceMin: reduce, ReduceProd: reduce, ReduceSum: reduce, ReduceSumSquare: reduce,
  ArgMax: arg, ArgMin: arg,
};
