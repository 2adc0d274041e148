/**
 * Contracts of shape inference: what a rule sees of a node (`RuleContext`) and what it
 * returns (`TensorInfo` per output). Rules are pure functions keyed by op type.
 */
import type { DType } from '../ir/dtype.js';
import type { Dim, Node } from '../ir/graph.js';
import type { Tensor } from '../ir/tensor.js';
import type { DimAlgebra } from './dims.js';

/**
 * What inference knows of one value. `shape` undefined means the rank is unknown.
 * `value` holds the elements of a small integer tensor when known, possibly symbolic:
 * `Shape(x)` of x `['N', 3, 8, 8]` has shape `[4]` and value `['N', 3, 8, 8]`.
 */
export interface TensorInfo {
  dtype: DType;
  shape?: Dim[];
  value?: Dim[];
}

/** A value whose shape could not be decided, as reported by `inferShapes`. */
export interface UnknownShape {
  node: string;
  opType: string;
  reason: string;
}

/** What a rule can ask about the node it infers. */
export interface RuleContext {
  readonly node: Node;
  /** Opset version of the node's domain. */
  readonly opset: number;
  /** Symbolic dimension arithmetic shared across the run. */
  readonly dims: DimAlgebra;
  /** Whether input `i` is given (present and not the empty name). */
  has(i: number): boolean;
  /** Known type of input `i`; undefined when absent or unknown. */
  input(i: number): TensorInfo | undefined;
  /** Type of input `i`, or stops the rule with a reason when unknown. */
  need(i: number): TensorInfo;
  /** Shape of input `i`, or stops the rule with a reason when unknown. */
  needShape(i: number): Dim[];
  /** The constant tensor behind input `i` (initializer or Constant), if any. */
  constant(i: number): Tensor | undefined;
  /** Elements of input `i` as dims (numbers or symbols) when known. */
  values(i: number): Dim[] | undefined;
  /** Elements of input `i` as numbers when all are known numbers. */
  ints(i: number): number[] | undefined;
  /** Records why a shape is left undecided and returns undefined, for `shape: ctx.noShape('...')`. */
  noShape(reason: string): undefined;
}

/** A shape rule: the types of a node's outputs, in output order (undefined entries for unknown). */
export type ShapeRule = (ctx: RuleContext) => Array<TensorInfo | undefined>;

/** Thrown inside rules to stop with a reason; inference catches it and reports the node. */
export class ShapeUnknown extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Stops the current rule with `reason` (never escapes `inferShapes`). */
export function fail(reason: string): never {
  throw new ShapeUnknown(reason);
}

