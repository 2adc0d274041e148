/**
 * Observers: pure state machines that watch tensors during calibration and turn what
 * they saw into a range. `update` takes one batch, `merge` joins two shards, `toJSON`
 * and `fromJSON` move state between workers. No I/O, no graph access.
 */
import type { Tensor } from '../ir/tensor.js';
import type { Plugin } from '../registry/registry.js';
import type { ObserverConfig, QuantSpec } from '../spec/quantSpec.js';

/** The range an observer settled on: per-tensor (length 1) or per channel. */
export interface ObservedRange {
  min: Float32Array;
  max: Float32Array;
}

/**
 * One batch of a value as reductions the runtime computed (`withReductionOutputs`):
 * its finite extremes, or a strided sample of its elements.
 */
export interface ReducedBatch {
  min?: number;
  max?: number;
  /** Every `stride`-th element of the flattened value, from the first. */
  sample?: Float32Array;
  stride?: number;
}

/** A calibration observer. */
export interface Observer {
  readonly kind: string;
  /** Watches one batch; non-finite values are skipped and counted. */
  update(x: Tensor): void;
  /**
   * Set when the observer can learn from reductions instead of whole tensors: then
   * calibration may call `updateReduced` with a strided sample (`sample` true) or with
   * the extremes (false). Extremes passed are finite; a batch whose extremes are not
   * goes to `update` whole.
   */
  readonly reduction?: { sample: boolean };
  /** Watches one batch through its reductions (see `reduction`). */
  updateReduced?(batch: ReducedBatch): void;
  /** Folds another observer's state (same kind and axis) into this one. */
  merge(other: Observer): void;
  /** The range to quantize to; throws E_OBSERVER when nothing was observed. */
  range(): ObservedRange;
  /**
   * Scale and zero point for `spec` (dtype, symmetric, reduceRange, narrowRange) from
   * what was observed, one entry per channel. Observers whose range depends on the
   * target grid (the MSE and entropy histograms) search for that grid here, so prefer
   * this over `computeQParams(range())`. Throws E_OBSERVER when nothing was observed.
   */
  calcQParams(spec: QuantSpec): ObservedQParams;
  /** How many batches and non-finite values were seen. */
  stats(): { batches: number; skippedNonFinite: number };
  /** Plain JSON state that the plugin's `fromJSON` restores. */
  toJSON(): Record<string, unknown>;
}

/** Quantization parameters per channel (length 1 for per-tensor). */
export interface ObservedQParams {
  scale: Float32Array;
  zeroPoint: Int32Array;
}

/** Observer factory as a registry plugin (kind 'observer'). */
export interface ObserverPlugin extends Plugin<'observer'> {
  /** Makes an observer for a config; `axis` is set for per-channel ranges. */
  create(config: ObserverConfig, options: { tensor: string; axis?: number }): Observer;
  /** Restores an observer from `toJSON()` output. */
  fromJSON(state: Record<string, unknown>): Observer;
}
