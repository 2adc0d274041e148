/**
 * The annotation a quantizer produces: which tensors become integers, with what spec,
 * and which nodes run quantized. Handlers only mark; conversion happens later.
 */
import type { Node } from '../ir/graph.js';
import type { GraphIndex } from '../ir/graphIndex.js';
import type { QuantSpec } from '../spec/quantSpec.js';
import type { FloatNode } from '../pipeline/types.js';

/** How one tensor is quantized. */
export type TensorRole =
  /**
   * an activation: ranges come from calibration (static); with `readers`, only those nodes
   * read the quantized value and the others keep reading the float one (all when absent)
   */
  | { kind: 'activation'; spec: QuantSpec; readers?: ReadonlySet<Node> }
  /** an activation that reuses another tensor's scale and zero point (Reshape, MaxPool ...) */
  | { kind: 'shared'; source: string }
  /** a constant weight, quantized from its values */
  | { kind: 'weight'; spec: QuantSpec }
  /** a bias: int32 with scale = scale(input) x scale(weight), zero point 0 */
  | { kind: 'bias'; input: string; weight: string; axis: number };

/** The result of annotation. */
export interface Annotation {
  tensors: Map<string, TensorRole>;
  /** Nodes that run quantized, by node. */
  quantized: Set<Node>;
  /** Activation nodes (Relu, Clip) folded into the producer's output range. */
  fused: Set<Node>;
  float: FloatNode[];
}

/** Per-weight changes to the weight spec a backend may ask for in `markWeight`. */
export interface WeightMarkOptions {
  /**
   * Quantize on half the integer range, one bit less (int8 narrow: [-63, 63]): NNCF's
   * overflow fix for CPUs without VNNI, whose 8-bit multiply-adds saturate on full-range weights.
   */
  readonly halfRange?: boolean;
}

/** What a handler can see and mark; `B` types the backend's own options. */
export interface AnnotateContext<B extends object = {}> {
  readonly index: GraphIndex;
  /**
   * The user's `backendOptions` as given (typed `B` for the backend; the backend checks
   * them at run time), or undefined: options that change where a backend places Q/DQ.
   */
  readonly backendOptions?: B;
  readonly activationSpec: QuantSpec;
  /** Weight spec for a weight tensor, per-channel along `axis` when enabled. */
  weightSpec(axis: number | undefined): QuantSpec;
  /** True when the value is an initializer (a weight). */
  isConstant(value: string): boolean;
  /** The known dtype of a value, if shape inference or the graph says it. */
  dtypeOf(value: string): string | undefined;
  /** The rank of a constant or typed value, if known. */
  rankOf(value: string): number | undefined;
  /**
   * Quantizes activation `value` for every reader, or for `readers` only (the others keep
   * the float value); marks of one value with readers add up, one without covers all.
   */
  markActivation(value: string, readers?: readonly Node[]): void;
  /** Quantizes weight `value`, per channel along `axis` when enabled; `options` adjust its spec. */
  markWeight(value: string, axis: number | undefined, options?: WeightMarkOptions): void;
  markBias(value: string, input: string, weight: string, axis: number): void;
  /** `out` reuses the parameters of `source`. */
  markShared(out: string, source: string): void;
  /** Whether `value` is (or will be) quantized. */
  isQuantized(value: string): boolean;
  /** The tensor to quantize as the output of `node`: its output, or that of a fusable Relu/Clip after it. */
  outputAfterActivation(node: Node): string;
}

/** A placement handler for some op types (one file per op family in a backend; see `policyFromHandlers`). */
export interface OpHandler {
  readonly opTypes: readonly string[];
  /** Marks what the node needs; returns a reason string when the node must stay float. */
  annotate(node: Node, ctx: AnnotateContext): string | void;
}
