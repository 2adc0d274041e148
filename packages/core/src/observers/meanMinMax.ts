/**
 * Mean-of-extrema observer (NNCF's "mean_min_max" range estimator): each sample's
 * minimum and maximum are taken separately and the range is their mean over all
 * samples, so a rare extreme sample moves the range by 1/N instead of setting it.
 *
 * The first dimension of each batch is the batch dimension. Tensors of rank 0 or 1,
 * and per-channel observers whose channel axis is 0, count each update as one sample.
 */
import { QtkError } from '../errors/QtkError.js';
import type { Tensor } from '../ir/tensor.js';
import { PLUGIN_API_VERSION } from '../registry/registry.js';
import type { ObserverConfig } from '../spec/quantSpec.js';
import { finiteExtent } from './finiteExtent.js';
import type { ObservedRange, Observer, ObserverPlugin } from './observer.js';
import { RangeObserverBase } from './rangeObserverBase.js';

/** Per-sample, per-channel extrema of one batch: entry `n * channels + c`. */
export interface SampleExtrema {
  samples: number;
  channels: number;
  /** +Infinity where a sample's channel had no finite value. */
  min: Float64Array;
  /** -Infinity where a sample's channel had no finite value. */
  max: Float64Array;
  nonFinite: number;
}

/**
 * Minimum and maximum of every sample (dim 0) and channel (`axis`, or one channel
 * when undefined), skipping NaN and ±Infinity.
 * Example: dims [2, 3] data [1, 5, 2, -4, 0, 3] per tensor gives min [1, -4], max [5, 3].
 */
export function sampleExtrema(x: Tensor, axis?: number): SampleExtrema {
  const data = x.dtype === 'float32' ? (x.data as Float32Array) : x.toFloat32();
  const dims = x.dims;
  const rank = dims.length;
  const ax = axis === undefined ? -1 : axis < 0 ? axis + rank : axis;
  if (axis !== undefined && (ax < 0 || ax >= rank)) {
    throw new QtkError('E_SHAPE', `channel axis ${axis} is out of range for a tensor of rank ${rank} (dims [${dims.join(',')}])`);
  }
  const batched = rank >= 2 && ax !== 0;
  const samples = batched ? dims[0]! : 1;
  const channels = ax < 0 ? 1 : dims[ax]!;
  // Layout per sample: [outer, channels, inner], outer = dims between batch and channel axis.
  let inner = 1;
  for (let d = ax < 0 ? rank : ax + 1; d < rank; d++) inner *= dims[d]!;
  const perSample = samples === 0 ? 0 : data.length / samples;
  const outer = perSample / (channels * inner);
  const min = new Float64Array(samples * channels).fill(Infinity);
  const max = new Float64Array(samples * channels).fill(-Infinity);
  let nonFinite = 0;
  let i = 0;
  for (let n = 0; n < samples; n++) {
    for (let o = 0; o < outer; o++) {
      for (let c = 0; c < channels; c++) {
        const k = n * channels + c;
        const e = finiteExtent(data, i, i + inner);
        i += inner;
        nonFinite += e.nonFinite;
        if (e.min < min[k]!) min[k] = e.min;
        if (e.max > max[k]!) max[k] = e.max;
      }
    }
  }
  return { samples, channels, min, max, nonFinite };
}

/** Mean over samples of each sample's min and max, per tensor or per channel. */
export class MeanMinMaxObserver extends RangeObserverBase {
  readonly kind = 'meanMinMax';
  private sumMin: Float64Array | undefined;
  private sumMax: Float64Array | undefined;
  /** Samples with at least one finite value, per channel. */
  private count: Float64Array | undefined;

  update(x: Tensor): void {
    const r = sampleExtrema(x, this.axis);
    this.skipped += r.nonFinite;
    const C = r.channels;
    if (!this.sumMin || !this.sumMax || !this.count) {
      this.sumMin = new Float64Array(C); this.sumMax = new Float64Array(C); this.count = new Float64Array(C);
    } else if (this.sumMin.length !== C) {
      throw new QtkError('E_OBSERVER', `tensor '${this.tensor}' changed channel count from ${this.sumMin.length} to ${C}`, { tensor: this.tensor });
    }
    for (let n = 0; n < r.samples; n++) {
      for (let c = 0; c < C; c++) {
        const lo = r.min[n * C + c]!;
        if (lo === Infinity) continue;
        this.sumMin[c] = this.sumMin[c]! + lo;
        this.sumMax[c] = this.sumMax[c]! + r.max[n * C + c]!;
        this.count[c] = this.count[c]! + 1;
      }
    }
    this.batches++;
  }

  merge(other: Observer): void {
    if (!(other instanceof MeanMinMaxObserver) || other.axis !== this.axis) {
      throw new QtkError('E_OBSERVER', `cannot merge ${other.kind} state into the ${this.kind} observer of '${this.tensor}'`, { tensor: this.tensor });
    }
    this.addCounts(other);
    if (!other.sumMin || !other.sumMax || !other.count) return;
    if (!this.sumMin || !this.sumMax || !this.count) {
      this.sumMin = other.sumMin.slice(); this.sumMax = other.sumMax.slice(); this.count = other.count.slice();
      return;
    }
    if (other.sumMin.length !== this.sumMin.length) {
      throw new QtkError('E_OBSERVER', `cannot merge ${other.sumMin.length} channels into the ${this.sumMin.length} of '${this.tensor}'`, { tensor: this.tensor });
    }
    for (let c = 0; c < this.sumMin.length; c++) {
      this.sumMin[c] = this.sumMin[c]! + other.sumMin[c]!;
      this.sumMax[c] = this.sumMax[c]! + other.sumMax[c]!;
      this.count[c] = this.count[c]! + other.count[c]!;
    }
  }

  range(): ObservedRange {
    if (!this.sumMin || !this.sumMax || !this.count || this.batches === 0) throw this.noDataError();
    const n = this.sumMin.length;
    const min = new Float32Array(n);
    const max = new Float32Array(n);
    for (let c = 0; c < n; c++) {
      const k = this.count[c]!;
      if (k > 0) { min[c] = this.sumMin[c]! / k; max[c] = this.sumMax[c]! / k; }
    }
    return { min, max };
  }

  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind, tensor: this.tensor, axis: this.axis, ...this.countsState(),
      sumMin: this.sumMin ? [...this.sumMin] : null, sumMax: this.sumMax ? [...this.sumMax] : null, count: this.count ? [...this.count] : null,
    };
  }

  /** Restores state written by `toJSON`; throws E_OBSERVER when the arrays disagree. */
  static fromJSON(s: Record<string, unknown>): MeanMinMaxObserver {
    const o = new MeanMinMaxObserver(String(s.tensor), typeof s.axis === 'number' ? s.axis : undefined);
    if (Array.isArray(s.sumMin) && Array.isArray(s.sumMax) && Array.isArray(s.count)) {
      if (s.sumMax.length !== s.sumMin.length || s.count.length !== s.sumMin.length) {
        throw new QtkError('E_OBSERVER', `meanMinMax state of '${o.tensor}' has sumMin, sumMax and count of different lengths`, { tensor: o.tensor });
      }
      o.sumMin = Float64Array.from(s.sumMin as number[]);
      o.sumMax = Float64Array.from(s.sumMax as number[]);
      o.count = Float64Array.from(s.count as number[]);
    }
    o.restoreCounts(s);
    return o;
  }
}

/** Registry plugin making mean-of-extrema observers. */
export const meanMinMaxObserverPlugin: ObserverPlugin = {
  name: 'meanMinMax',
  kind: 'observer',
  apiVersion: PLUGIN_API_VERSION,
  description: 'mean over samples of per-sample min/max (NNCF mean_min_max)',
  create(config: ObserverConfig, { tensor, axis }) {
    if (config.kind === 'meanMinMax') return new MeanMinMaxObserver(tensor, axis);
    throw new QtkError('E_OBSERVER', `meanMinMax plugin cannot make a '${(config as { kind: string }).kind}' observer`, { tensor });
  },
  fromJSON: (s) => MeanMinMaxObserver.fromJSON(s),
};
