/**
 * A quantization plan: what every annotated tensor becomes, decided before any graph
 * changes. Planning (planQuantization.ts) turns an annotation plus activation qparams
 * (calibrated, or learned by QAT) into a plan; writers (QDQ in core, other formats from
 * backend packages) turn a plan into a model and do no qparam math of their own.
 *
 * Example: for x → Conv(w, b) → c with x and c calibrated, the plan holds
 *   x: activation {scale [0.02], zp [128], uint8}   w: weight {scale [C], axis 0, int8}
 *   b: bias {scale [C] = 0.02 × w.scale, int32, values}   c: activation {...}
 */
import type { Node } from '../ir/graph.js';
import type { QParams } from './qparams.js';

/** What one tensor becomes, with the parameters the writer uses as they are. */
export type PlannedTensor =
  /**
   * an activation with its own (calibrated or learned) parameters: Q → DQ after its producer,
   * read by `readers` only when given (the other readers keep the float value)
   */
  | { role: 'activation'; qparams: QParams; readers?: ReadonlySet<Node> }
  /** an activation reusing the parameters of `source` (the end of a chain of shared roles) */
  | { role: 'shared'; source: string; qparams: QParams }
  /** a constant weight: integers from its values behind DequantizeLinear */
  | { role: 'weight'; qparams: QParams }
  /** a bias: int32 `values` at scale = input scale × weight scale, zero point 0 */
  | { role: 'bias'; input: string; weight: string; qparams: QParams; values: Int32Array };

/** An annotated tensor that stays float, and why (no range, bias overflow, ...). */
export interface FloatTensor {
  tensor: string;
  reason: string;
}

/** Every annotated tensor's fate, in annotation order, and the nodes that run quantized. */
export interface QuantPlan {
  /** Tensors to write quantized, in annotation order (writers keep that order). */
  readonly tensors: ReadonlyMap<string, PlannedTensor>;
  /** Nodes that run quantized: a weight or bias is rewired for these readers only. */
  readonly quantizedNodes: ReadonlySet<Node>;
  /** Annotated tensors left float, with the reason. */
  readonly float: readonly FloatTensor[];
}
