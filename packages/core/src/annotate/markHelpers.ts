/** Checks and marks that placement handlers of any backend share (building blocks for backend authors). */
import type { Tensor } from '../ir/tensor.js';
import type { AnnotateContext } from './annotation.js';

/** A refusal reason when `value` is known to hold something other than float32; undefined otherwise. */
export function nonFloatReason(ctx: AnnotateContext, value: string): string | undefined {
  const t = ctx.dtypeOf(value);
  return t !== undefined && t !== 'float32' ? `input '${value}' is ${t}, not float32` : undefined;
}

/**
 * Marks a float input of a quantized node: a constant becomes a per-tensor weight (its range
 * comes from its values), anything else an activation (its range comes from calibration).
 * A constant an earlier node already quantized keeps that form (say, per-channel for a Conv).
 */
export function markFloatInput(ctx: AnnotateContext, value: string): void {
  if (!ctx.isConstant(value)) ctx.markActivation(value);
  else if (!ctx.isQuantized(value)) ctx.markWeight(value, undefined);
}

/** Marks each present output in `outputs` as reusing the scale and zero point of `source`. */
export function shareOutputs(ctx: AnnotateContext, outputs: readonly string[], source: string): void {
  for (const o of outputs) if (o) ctx.markShared(o, source);
}

/** The initializer named `value`, or undefined when it is computed at run time. */
export function constantOf(ctx: AnnotateContext, value: string): Tensor | undefined {
  return ctx.index.graph.initializers.get(value);
}

/**
 * The refusal of an op that runs quantized only between quantized neighbours when `value`
 * is not a quantized float tensor; undefined when it is. A Q/DQ pair added only for such an
 * op (one without an integer kernel of its own in the target runtime, or one that only moves
 * values) would add rounding error and gain nothing.
 */
export function unquantizedInputReason(ctx: AnnotateContext, value: string): string | undefined {
  return nonFloatReason(ctx, value) ?? (ctx.isQuantized(value) ? undefined : `input '${value}' is not quantized`);
}
