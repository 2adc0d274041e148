/**
 * Histogram observer: counts every finite value of a tensor into a growable fixed-width
 * histogram (`FixedWidthHistogram`) and picks the range by strategy:
 *   - 'entropy': TensorRT's KL-divergence threshold on |x| (`entropyRange`);
 *   - 'percentile': keep `percentile` % of the values (`percentileRange`);
 *   - 'mse': least expected squared quantization error (`mseRange`).
 * Every range contains 0 and is never empty: an all-zero tensor gives [0, 0] (computeQParams then picks scale 1 and the pipeline reports it as zero-range), and a
 * strategy that collapses the range falls back to the observed [min, max] widened to 0.
 * Per-tensor only.
 */
import { QtkError } from '../errors/QtkError.js';
import type { Tensor } from '../ir/tensor.js';
import { quantRange } from '../quant/qparams.js';
import { PLUGIN_API_VERSION } from '../registry/registry.js';
import type { ObserverConfig, QuantSpec } from '../spec/quantSpec.js';
import { entropyRange } from './entropyRange.js';
import { FixedWidthHistogram, type HistogramView } from './fixedWidthHistogram.js';
import { mseRange } from './mseRange.js';
import type { ObservedQParams, ObservedRange, Observer, ObserverPlugin, ReducedBatch } from './observer.js';
import { percentileRange } from './percentileRange.js';
import { rangeQParams } from './rangeQParams.js';

/** A histogram config with every default filled in. */
export interface HistogramSettings {
  readonly strategy: 'entropy' | 'percentile' | 'mse';
  readonly bins: number;
  readonly percentile: number;
  readonly quantizedBins: number;
  readonly startBin: number;
}

/** Defaults: TensorRT's 2048 bins, 128 quantized bins, start bin 128; percentile 99.999. */
export const HISTOGRAM_DEFAULTS = Object.freeze({ bins: 2048, percentile: 99.999, quantizedBins: 128, startBin: 128 });

/** Coarse edges per side of the 'mse' search. */
const MSE_SEARCH_BINS = 256;

/** Quantization steps `range()` assumes for 'mse' (8-bit); `calcQParams` uses the spec's. */
const DEFAULT_STEPS = 255;

type HistogramConfig = Extract<ObserverConfig, { kind: 'histogram' }>;

/**
 * Checks a histogram config and fills in defaults. Throws E_OPTION naming the field
 * (`observer.bins`, ...) for an unknown strategy, non-integer or too small bin counts,
 * `bins < quantizedBins`, `startBin` outside [1, bins], or `percentile` outside (0, 100].
 */
export function histogramSettings(config: HistogramConfig): HistogramSettings {
  const s: HistogramSettings = {
    strategy: config.strategy,
    bins: config.bins ?? HISTOGRAM_DEFAULTS.bins,
    percentile: config.percentile ?? HISTOGRAM_DEFAULTS.percentile,
    quantizedBins: config.quantizedBins ?? HISTOGRAM_DEFAULTS.quantizedBins,
    startBin: config.startBin ?? HISTOGRAM_DEFAULTS.startBin,
  };
  const fail = (field: keyof HistogramSettings, why: string): never => {
    throw new QtkError('E_OPTION', `histogram observer option ${field}=${String(s[field])} ${why}`, { option: `observer.${field}` });
  };
  if (!['entropy', 'percentile', 'mse'].includes(s.strategy)) fail('strategy', "is not one of: entropy, percentile, mse");
  if (!Number.isInteger(s.bins) || s.bins < 2 || s.bins > 1 << 20) fail('bins', 'must be an integer in [2, 1048576]');
  if (!Number.isInteger(s.quantizedBins) || s.quantizedBins < 2) fail('quantizedBins', 'must be an integer ≥ 2');
  if (s.bins < s.quantizedBins) fail('bins', `must be at least quantizedBins (${s.quantizedBins})`);
  if (!Number.isInteger(s.startBin) || s.startBin < 1 || s.startBin > s.bins) fail('startBin', `must be an integer in [1, bins=${s.bins}]`);
  if (typeof s.percentile !== 'number' || !(s.percentile > 0 && s.percentile <= 100)) fail('percentile', 'must be a number in (0, 100]');
  return s;
}

/** Range of a tensor from its histogram, by strategy. */
export class HistogramObserver implements Observer {
  readonly kind = 'histogram';
  readonly settings: HistogramSettings;
  private hist: FixedWidthHistogram;
  private batches = 0;
  /** The last range search (target key and result); any update or merge clears it. */
  private searched: { key: string; range: ObservedRange } | undefined;

  constructor(readonly tensor: string, config: HistogramConfig) {
    this.settings = histogramSettings(config);
    this.hist = new FixedWidthHistogram(this.settings.bins);
  }

  /** Histograms work from a strided sample plus the exact extremes. */
  readonly reduction = { sample: true };

  update(x: Tensor): void {
    this.hist.add(x.dtype === 'float32' ? (x.data as Float32Array) : x.toFloat32());
    this.batches++;
    this.searched = undefined;
  }

  /**
   * Counts a strided sample of a batch, each value `stride` times (it stands for that
   * many values of the batch). With stride 1 this equals `update` on the whole tensor.
   */
  updateReduced(b: ReducedBatch): void {
    if (!b.sample) throw new QtkError('E_OBSERVER', `histogram observer of '${this.tensor}' needs a sample of the values`, { tensor: this.tensor });
    const stride = b.stride ?? 1;
    if (!(Number.isInteger(stride) && stride >= 1)) throw new QtkError('E_OBSERVER', `sample stride ${stride} of '${this.tensor}' is not a positive integer`, { tensor: this.tensor });
    this.hist.add(b.sample, stride);
    this.batches++;
    this.searched = undefined;
  }

  merge(other: Observer): void {
    if (!(other instanceof HistogramObserver)) {
      throw new QtkError('E_OBSERVER', `cannot merge ${other.kind} state into the histogram observer of '${this.tensor}'`, { tensor: this.tensor });
    }
    if (other.settings.bins !== this.settings.bins) {
      throw new QtkError('E_OBSERVER', `cannot merge a ${other.settings.bins}-bin histogram into the ${this.settings.bins}-bin one of '${this.tensor}'`, { tensor: this.tensor });
    }
    this.hist.merge(other.hist);
    this.batches += other.batches;
    this.searched = undefined;
  }

  /** The histogram (for inspection and tests). */
  get histogram(): FixedWidthHistogram {
    return this.hist;
  }

  /** The range by strategy, for an 8-bit asymmetric target (see `calcQParams` for others). */
  range(): ObservedRange {
    return this.rangeFor({ symmetric: false, steps: DEFAULT_STEPS });
  }

  /**
   * Scale and zero point for `spec`. Unlike `range()`, the strategies see the target:
   * 'mse' searches the spec's grid (`qmax - qmin` steps, symmetric or not), 'percentile'
   * cuts |x| for symmetric specs, and 'entropy' doubles the quantized bins for an
   * asymmetric spec on non-negative data (as TensorRT's unsigned case).
   */
  calcQParams(spec: QuantSpec): ObservedQParams {
    const [qmin, qmax] = quantRange(spec);
    return rangeQParams(this.rangeFor({ symmetric: spec.symmetric, steps: qmax - qmin }), spec, this.tensor);
  }

  stats() {
    return { batches: this.batches, skippedNonFinite: this.hist.nonFinite };
  }

  toJSON(): Record<string, unknown> {
    return { kind: this.kind, tensor: this.tensor, config: { kind: 'histogram', ...this.settings }, batches: this.batches, histogram: this.hist.toJSON() };
  }

  /** Restores state written by `toJSON`; throws E_OBSERVER on malformed state. */
  static fromJSON(s: Record<string, unknown>): HistogramObserver {
    const config = s.config as HistogramConfig | undefined;
    if (!config || typeof config !== 'object' || !s.histogram || typeof s.histogram !== 'object') {
      throw new QtkError('E_OBSERVER', `histogram observer state of '${String(s.tensor)}' lacks config or histogram`, { tensor: String(s.tensor) });
    }
    const o = new HistogramObserver(String(s.tensor), config);
    const h = FixedWidthHistogram.fromJSON(s.histogram as Record<string, unknown>);
    if (h.targetBins !== o.settings.bins) {
      throw new QtkError('E_OBSERVER', `histogram state of '${o.tensor}' has ${h.targetBins} target bins but its config says ${o.settings.bins}`, { tensor: o.tensor });
    }
    o.hist = h;
    o.batches = Number(s.batches ?? 0);
    return o;
  }

  /** The strategy's range for `target`, searched once until the histogram changes. */
  private rangeFor(target: { symmetric: boolean; steps: number }): ObservedRange {
    const key = `${target.symmetric}:${target.steps}`;
    if (this.searched?.key !== key) this.searched = { key, range: this.searchRange(target) };
    const r = this.searched.range;
    return { min: r.min.slice(), max: r.max.slice() };
  }

  private searchRange(target: { symmetric: boolean; steps: number }): ObservedRange {
    const view = this.hist.view();
    if (!view || this.batches === 0) {
      throw new QtkError('E_OBSERVER', `observer of '${this.tensor}' saw no finite data; was it computed during calibration?`, { tensor: this.tensor });
    }
    const [lo, hi] = this.strategyRange(view, target);
    return { min: Float32Array.of(lo), max: Float32Array.of(hi) };
  }

  /** The strategy's range, widened to contain 0 and never empty. */
  private strategyRange(view: HistogramView, target: { symmetric: boolean; steps: number }): [number, number] {
    const s = this.settings;
    let r: [number, number];
    if (view.min === 0 && view.max === 0) return [0, 0];
    switch (s.strategy) {
      case 'percentile':
        r = percentileRange(view, s.percentile, target.symmetric);
        break;
      case 'entropy': {
        const unsigned = !target.symmetric && view.min >= 0;
        r = entropyRange(view, { bins: s.bins, quantizedBins: unsigned ? 2 * s.quantizedBins : s.quantizedBins, startBin: s.startBin });
        break;
      }
      case 'mse':
        r = mseRange(view, { steps: target.steps, symmetric: target.symmetric, searchBins: MSE_SEARCH_BINS });
        break;
    }
    let lo = Math.min(r[0], 0), hi = Math.max(r[1], 0);
    if (!(Math.fround(hi) > Math.fround(lo))) { lo = Math.min(view.min, 0); hi = Math.max(view.max, 0); }
    return [lo, hi];
  }
}

/** Registry plugin making histogram observers (per-tensor; a channel axis is E_UNSUPPORTED). */
export const histogramObserverPlugin: ObserverPlugin = {
  name: 'histogram',
  kind: 'observer',
  apiVersion: PLUGIN_API_VERSION,
  description: 'fixed-width histogram; range by entropy (KL divergence), percentile or MSE',
  create(config: ObserverConfig, { tensor, axis }) {
    if (config.kind !== 'histogram') {
      throw new QtkError('E_OBSERVER', `histogram plugin cannot make a '${config.kind}' observer`, { tensor });
    }
    if (axis !== undefined) {
      throw new QtkError('E_UNSUPPORTED', `histogram observers are per-tensor; tensor '${tensor}' asked for channel axis ${axis}`, { tensor });
    }
    return new HistogramObserver(tensor, config);
  },
  fromJSON: (s) => HistogramObserver.fromJSON(s),
};
