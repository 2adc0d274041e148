/**
 * The dialect of a QDQ model: which domain each QuantizeLinear/DequantizeLinear pair is
 * written in, and what the model needs for it (opset, IR version, imports). The standard
 * dialect writes ONNX ops only; a backend package may offer its own (a runtime's contrib
 * Q/DQ ops for types the model's opset lacks). Writers ask the dialect and never decide.
 */
import type { Model } from '../ir/graph.js';
import type { QdqUse } from './qdqOps.js';

/** Picks the domain of the Q/DQ nodes of a conversion and prepares the model for them. */
export interface QdqDialect {
  /** Short name shown in errors and reports. */
  readonly name: string;
  /**
   * Prepares `model` for every Q/DQ use of one conversion at once (may raise the opset or
   * IR version, add an opset import); throws a QtkError, before the graph changes, for a use it cannot write.
   */
  prepare(model: Model, uses: readonly QdqUse[]): void;
  /** The domain ('' for ONNX) of the Q/DQ nodes of `use`, after `prepare`. */
  domainOf(model: Model, use: QdqUse): string;
}
