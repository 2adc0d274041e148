/**
 * MinMax observers: running minimum and maximum, per tensor or per channel, and the
 * moving-average variant (each batch's min/max blended with constant c, as
 * PyTorch's MovingAverageMinMaxObserver).
 */
import { QtkError } from '../errors/QtkError.js';
import type { Tensor } from '../ir/tensor.js';
import { PLUGIN_API_VERSION } from '../registry/registry.js';
import type { ObserverConfig } from '../spec/quantSpec.js';
import { finiteExtent } from './finiteExtent.js';
import type { ObservedRange, Observer, ObserverPlugin, ReducedBatch } from './observer.js';
import { RangeObserverBase } from './rangeObserverBase.js';

/** Min and max of each channel along `axis` (or of all values), skipping NaN/Inf. */
export function channelMinMax(x: Tensor, axis?: number): { min: Float64Array; max: Float64Array; nonFinite: number } {
  const data = x.dtype === 'float32' ? (x.data as Float32Array) : x.toFloat32();
  const dims = x.dims;
  const ax = axis === undefined ? -1 : axis < 0 ? axis + dims.length : axis;
  const channels = ax < 0 ? 1 : dims[ax]!;
  let inner = 1;
  if (ax >= 0) for (let d = ax + 1; d < dims.length; d++) inner *= dims[d]!;
  const min = new Float64Array(channels).fill(Infinity);
  const max = new Float64Array(channels).fill(-Infinity);
  let nonFinite = 0;
  if (channels === 1) {
    const e = finiteExtent(data);
    min[0] = e.min; max[0] = e.max;
    return { min, max, nonFinite: e.nonFinite };
  }
  // Runs of `inner` contiguous values belong to one channel, channels cycling.
  for (let start = 0, c = 0; start < data.length; start += inner, c = c + 1 === channels ? 0 : c + 1) {
    const e = finiteExtent(data, start, start + inner);
    nonFinite += e.nonFinite;
    if (e.min < min[c]!) min[c] = e.min;
    if (e.max > max[c]!) max[c] = e.max;
  }
  return { min, max, nonFinite };
}

/** Running min/max (or its moving average) of a tensor. */
export class MinMaxObserver extends RangeObserverBase {
  readonly kind: string;
  private min: Float64Array | undefined;
  private max: Float64Array | undefined;

  constructor(tensor: string, axis?: number, readonly averagingConstant?: number) {
    super(tensor, axis);
    this.kind = averagingConstant === undefined ? 'minmax' : 'movingAverageMinMax';
  }

  /** Per-tensor observers work from the runtime's min/max reductions. */
  get reduction(): { sample: boolean } | undefined {
    return this.axis === undefined ? { sample: false } : undefined;
  }

  update(x: Tensor): void {
    const r = channelMinMax(x, this.axis);
    this.skipped += r.nonFinite;
    this.updateExtrema(r);
  }

  /** Same as `update` on a tensor with these finite extremes (per-tensor observers only). */
  updateReduced(b: ReducedBatch): void {
    if (this.axis !== undefined) throw new QtkError('E_OBSERVER', `per-channel observer of '${this.tensor}' needs whole tensors`, { tensor: this.tensor });
    if (b.min === undefined || b.max === undefined) throw new QtkError('E_OBSERVER', `observer of '${this.tensor}' needs the batch's extremes`, { tensor: this.tensor });
    this.updateExtrema({ min: Float64Array.of(b.min), max: Float64Array.of(b.max) });
  }

  private updateExtrema(r: { min: Float64Array; max: Float64Array }): void {
    if (!this.min || !this.max) {
      this.min = r.min; this.max = r.max;
    } else if (r.min.length !== this.min.length) {
      throw new QtkError('E_OBSERVER', `tensor '${this.tensor}' changed channel count from ${this.min.length} to ${r.min.length}`, { tensor: this.tensor });
    } else {
      const c = this.averagingConstant;
      for (let i = 0; i < r.min.length; i++) {
        if (!Number.isFinite(r.min[i]!)) continue;
        if (!Number.isFinite(this.min[i]!)) { this.min[i] = r.min[i]!; this.max[i] = r.max[i]!; continue; }
        if (c === undefined) {
          if (r.min[i]! < this.min[i]!) this.min[i] = r.min[i]!;
          if (r.max[i]! > this.max[i]!) this.max[i] = r.max[i]!;
        } else {
          this.min[i] = this.min[i]! + c * (r.min[i]! - this.min[i]!);
          this.max[i] = this.max[i]! + c * (r.max[i]! - this.max[i]!);
        }
      }
    }
    this.batches++;
  }

  merge(other: Observer): void {
    if (!(other instanceof MinMaxObserver) || other.axis !== this.axis) {
      throw new QtkError('E_OBSERVER', `cannot merge ${other.kind} state into ${this.kind} observer of '${this.tensor}'`, { tensor: this.tensor });
    }
    if (!other.min || !other.max) return;
    if (!this.min || !this.max) { this.min = other.min.slice(); this.max = other.max.slice(); }
    else for (let i = 0; i < this.min.length; i++) {
      this.min[i] = Math.min(this.min[i]!, other.min[i]!);
      this.max[i] = Math.max(this.max[i]!, other.max[i]!);
    }
    this.addCounts(other);
  }

  range(): ObservedRange {
    if (!this.min || !this.max || this.batches === 0) throw this.noDataError();
    const min = Float32Array.from(this.min, (v) => (Number.isFinite(v) ? v : 0));
    const max = Float32Array.from(this.max, (v) => (Number.isFinite(v) ? v : 0));
    return { min, max };
  }

  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind, tensor: this.tensor, axis: this.axis, averagingConstant: this.averagingConstant,
      ...this.countsState(),
      min: this.min ? [...this.min] : null, max: this.max ? [...this.max] : null,
    };
  }

  /** Restores state written by `toJSON`. */
  static fromJSON(s: Record<string, unknown>): MinMaxObserver {
    const o = new MinMaxObserver(String(s.tensor), s.axis as number | undefined, s.averagingConstant as number | undefined);
    if (Array.isArray(s.min) && Array.isArray(s.max)) {
      o.min = Float64Array.from(s.min as number[], (v) => v ?? Infinity);
      o.max = Float64Array.from(s.max as number[], (v) => v ?? -Infinity);
    }
    o.restoreCounts(s);
    return o;
  }
}

/** Registry plugin making MinMax and moving-average MinMax observers. */
export const minMaxObserverPlugin: ObserverPlugin = {
  name: 'minmax',
  kind: 'observer',
  apiVersion: PLUGIN_API_VERSION,
  description: 'running min/max (moving average with averagingConstant)',
  create(config: ObserverConfig, { tensor, axis }) {
    if (config.kind === 'minmax') return new MinMaxObserver(tensor, axis);
    if (config.kind === 'movingAverageMinMax') return new MinMaxObserver(tensor, axis, config.averagingConstant);
    throw new QtkError('E_OBSERVER', `minmax plugin cannot make a '${(config as { kind: string }).kind}' observer`);
  },
  fromJSON: (s) => MinMaxObserver.fromJSON(s),
};
