/**
 * What the extrema observers (MinMax, moving-average MinMax, mean-of-extrema) share: the
 * tensor and channel axis they watch, their batch and non-finite counts (stats, merge,
 * JSON state), the "saw no data" error, and scale/zero point from `range()`.
 */
import { QtkError } from '../errors/QtkError.js';
import type { Tensor } from '../ir/tensor.js';
import type { QuantSpec } from '../spec/quantSpec.js';
import type { ObservedQParams, ObservedRange, Observer } from './observer.js';
import { rangeQParams } from './rangeQParams.js';

/** Batch and non-finite counts as written into observer JSON state. */
export interface ObserverCountsState {
  batches: number;
  skipped: number;
}

/**
 * Base of observers whose qparams follow from their per-tensor or per-channel range:
 * keeps the batch and skipped-value counts; subclasses keep the extrema.
 */
export abstract class RangeObserverBase implements Observer {
  abstract readonly kind: string;
  /** Batches seen (`update` calls, plus merged observers' batches). */
  protected batches = 0;
  /** Non-finite values skipped. */
  protected skipped = 0;

  constructor(readonly tensor: string, readonly axis?: number) {}

  abstract update(x: Tensor): void;
  abstract merge(other: Observer): void;
  abstract range(): ObservedRange;
  abstract toJSON(): Record<string, unknown>;

  calcQParams(spec: QuantSpec): ObservedQParams {
    return rangeQParams(this.range(), spec, this.tensor, this.axis);
  }

  stats() {
    return { batches: this.batches, skippedNonFinite: this.skipped };
  }

  /** The E_OBSERVER error `range()` throws when nothing was observed. */
  protected noDataError(): QtkError {
    return new QtkError('E_OBSERVER', `observer of '${this.tensor}' saw no data; was it computed during calibration?`, { tensor: this.tensor });
  }

  /** Adds `other`'s batch and skipped counts to this observer's. */
  protected addCounts(other: RangeObserverBase): void {
    this.batches += other.batches;
    this.skipped += other.skipped;
  }

  /** The counts, for `toJSON`. */
  protected countsState(): ObserverCountsState {
    return { batches: this.batches, skipped: this.skipped };
  }

  /** Restores the counts from `toJSON` state (0 where absent). */
  protected restoreCounts(s: Record<string, unknown>): void {
    this.batches = Number(s.batches ?? 0);
    this.skipped = Number(s.skipped ?? 0);
  }
}
