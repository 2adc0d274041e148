/**
 * An observer that was told its range instead of watching data: the range a caller gives
 * for a tensor (`QuantizeContext.ranges`, e.g. read from a TensorRT calibration cache)
 * turned into an `Observer`, so the static pipeline takes it where it takes observed ones.
 */
import { QtkError } from '../errors/QtkError.js';
import type { Tensor } from '../ir/tensor.js';
import type { ObservedRange, Observer } from './observer.js';
import { RangeObserverBase } from './rangeObserverBase.js';

/** A per-tensor range a caller gives: `{ min: -2.5, max: 2.5 }`. */
export interface GivenRange {
  /** Lower end (widened to 0 when above it, as for an observed range). */
  readonly min: number;
  /** Upper end, at least `min`. */
  readonly max: number;
}

/** Per-tensor observer with a fixed range; batches it is shown are counted and otherwise ignored. */
export class GivenRangeObserver extends RangeObserverBase {
  readonly kind = 'given';

  constructor(tensor: string, readonly given: GivenRange) {
    super(tensor);
  }

  update(_x: Tensor): void {
    this.batches++;
  }

  merge(other: Observer): void {
    throw new QtkError('E_OBSERVER', `the given range of '${this.tensor}' cannot merge ${other.kind} state`, { tensor: this.tensor });
  }

  /** The given range, as float32 (`computeQParams` rounds it so too). */
  range(): ObservedRange {
    return { min: Float32Array.of(this.given.min), max: Float32Array.of(this.given.max) };
  }

  toJSON(): Record<string, unknown> {
    return { kind: this.kind, tensor: this.tensor, min: this.given.min, max: this.given.max, ...this.countsState() };
  }
}
