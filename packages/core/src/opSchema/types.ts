/**
 * Attribute schemas of operators, written as data: for each op the attributes it takes, their
 * types and allowed values, and the checks that relate attributes to each other or to the
 * node's inputs. `checkNodeAttributes` enforces them.
 *
 * Example: `{ attrs: { kernel_shape: ints({ min: 1, nonEmpty: true }) }, rules: [{ rule: 'window', pool: true }] }`.
 */

/** The rank of the node's input `input` bounds an axis: `[-r, r)`, or `[-r, r]` when `inclusive`. */
export interface AxisRange {
  input: number;
  inclusive?: boolean;
}

/** An integer attribute: optional bounds, allowed values, or an axis of an input. */
export interface IntSpec {
  kind: 'int';
  min?: number;
  max?: number;
  oneOf?: readonly number[];
  axis?: AxisRange;
}

/** A float attribute with optional bounds (NaN is always refused where a bound is set). */
export interface FloatSpec {
  kind: 'float';
  min?: number;
  max?: number;
}

/** A string attribute, optionally one of a fixed set. */
export interface StringSpec {
  kind: 'string';
  oneOf?: readonly string[];
}

/** An integer-list attribute: bounds on every element, non-empty, axes of an input, no repeats. */
export interface IntsSpec {
  kind: 'ints';
  min?: number;
  max?: number;
  nonEmpty?: boolean;
  axes?: AxisRange;
  unique?: boolean;
}

/** Attributes whose values are only type-checked. */
export interface PlainSpec {
  kind: 'floats' | 'strings' | 'tensor' | 'graph' | 'tensors' | 'graphs' | 'opaque';
}

/** What one attribute may be. */
export type AttrSpec = IntSpec | FloatSpec | StringSpec | IntsSpec | PlainSpec;

/**
 * A check across attributes (and inputs whose dims are known):
 * - `window`: kernel_shape, strides, dilations and pads agree on the spatial rank (pads has
 *   two entries per axis); with `pool`, kernel_shape is required and each pad is smaller than
 *   the kernel. Conv-like ops (`weight` = index of the weight input) match kernel_shape to the
 *   weight's spatial dims when it is a constant.
 * - `group`: `group` divides the weight's output channels (input channels for ConvTranspose,
 *   `transposed`) and matches the input channels when known.
 * - `required`: the attributes the op cannot run without.
 * - `exactlyOne`: exactly one of the attributes is set (Constant's value).
 * - `permutation`: the attribute is a permutation of the input's axes.
 */
export type NodeRule =
  | { rule: 'window'; pool?: boolean; weight?: number }
  | { rule: 'group'; weight: number; transposed?: boolean }
  | { rule: 'required'; attrs: readonly string[] }
  | { rule: 'exactlyOne'; attrs: readonly string[] }
  | { rule: 'permutation'; attr: string; input: number };

/** The schema of one op: its attributes (any other is unknown) and cross-attribute rules. */
export interface OpSchema {
  attrs: Readonly<Record<string, AttrSpec>>;
  rules?: readonly NodeRule[];
}

/** Schemas of one op family, keyed as the engine keys ops: `'OpType'` or `'domain:OpType'`. */
export type SchemaTable = Readonly<Record<string, OpSchema>>;

/** An integer attribute spec. */
export const int = (o: Omit<IntSpec, 'kind'> = {}): IntSpec => ({ kind: 'int', ...o });
/** A 0/1 flag. */
export const flag = (): IntSpec => ({ kind: 'int', oneOf: [0, 1] });
/** A float attribute spec. */
export const float = (o: Omit<FloatSpec, 'kind'> = {}): FloatSpec => ({ kind: 'float', ...o });
/** A string attribute spec. */
export const str = (oneOf?: readonly string[]): StringSpec => (oneOf ? { kind: 'string', oneOf } : { kind: 'string' });
/** An integer-list attribute spec. */
export const ints = (o: Omit<IntsSpec, 'kind'> = {}): IntsSpec => ({ kind: 'ints', ...o });
/** A type-only attribute spec. */
export const plain = (kind: PlainSpec['kind']): PlainSpec => ({ kind });
