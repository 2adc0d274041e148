/**
 * Channel-mean observer: the mean of each channel of a value, for bias correction.
 * It watches per-sample channel means, a [N, C] tensor (the pipeline reduces a value to
 * that inside the model), and averages them over every sample of every batch, NaN and
 * ±Infinity skipped and counted. It gives statistics, not quantization parameters.
 */
import { QtkError } from '../errors/QtkError.js';
import type { Tensor } from '../ir/tensor.js';
import type { ObservedQParams, ObservedRange, Observer } from './observer.js';

/** Averages the rows of [N, C] tensors: the channel means of the value they were reduced from. */
export class ChannelMeanObserver implements Observer {
  readonly kind = 'channelMean';
  private sum: Float64Array | undefined;
  private count: Float64Array | undefined;
  private batches = 0;
  private nonFinite = 0;

  constructor(readonly tensor: string) {}

  /** Adds the rows of `x` ([N, C]; rank 1 counts as one row). Throws E_SHAPE when C changes. */
  update(x: Tensor): void {
    const data = x.dtype === 'float32' ? (x.data as Float32Array) : x.toFloat32();
    const c = x.dims.length >= 2 ? x.dims[x.dims.length - 1]! : data.length;
    this.sum ??= new Float64Array(c);
    this.count ??= new Float64Array(c);
    if (this.sum.length !== c) {
      throw new QtkError('E_SHAPE', `channel means of '${this.tensor}' had ${this.sum.length} channels, now ${c}`, { tensor: this.tensor });
    }
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (!Number.isFinite(v)) { this.nonFinite++; continue; }
      this.sum[i % c] += v;
      this.count[i % c]++;
    }
    this.batches++;
  }

  /** The mean of each channel (0 where nothing finite was seen); throws E_OBSERVER before any update. */
  means(): Float32Array {
    if (!this.sum || !this.count) throw new QtkError('E_OBSERVER', `channel-mean observer of '${this.tensor}' saw no data`, { tensor: this.tensor });
    const out = new Float32Array(this.sum.length);
    for (let i = 0; i < out.length; i++) out[i] = this.count[i]! > 0 ? this.sum[i]! / this.count[i]! : 0;
    return out;
  }

  merge(other: Observer): void {
    if (!(other instanceof ChannelMeanObserver)) {
      throw new QtkError('E_OBSERVER', `cannot merge ${other.kind} state into the channel-mean observer of '${this.tensor}'`, { tensor: this.tensor });
    }
    if (!other.sum || !other.count) return;
    this.sum ??= new Float64Array(other.sum.length);
    this.count ??= new Float64Array(other.count.length);
    if (this.sum.length !== other.sum.length) {
      throw new QtkError('E_SHAPE', `cannot merge ${other.sum.length} channel means into ${this.sum.length} of '${this.tensor}'`, { tensor: this.tensor });
    }
    for (let i = 0; i < this.sum.length; i++) { this.sum[i] += other.sum[i]!; this.count[i] += other.count[i]!; }
    this.batches += other.batches;
    this.nonFinite += other.nonFinite;
  }

  /** The channel means as a zero-width range per channel. */
  range(): ObservedRange {
    const m = this.means();
    return { min: m, max: m.slice() };
  }

  /** Always throws E_UNSUPPORTED: means do not set a quantization grid. */
  calcQParams(): ObservedQParams {
    throw new QtkError('E_UNSUPPORTED', `the channel-mean observer of '${this.tensor}' gives statistics, not quantization parameters`, { tensor: this.tensor });
  }

  stats() {
    return { batches: this.batches, skippedNonFinite: this.nonFinite };
  }

  toJSON(): Record<string, unknown> {
    return { kind: this.kind, tensor: this.tensor, batches: this.batches, sum: this.sum && [...this.sum], count: this.count && [...this.count] };
  }
}
