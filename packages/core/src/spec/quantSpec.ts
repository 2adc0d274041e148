/**
 * Quantization specs: what a tensor becomes. Frozen, discriminated, JSON-serialisable.
 *
 * Granularity and the shape of the scale it implies, for a Conv weight [64, 32, 3, 3]:
 *   { kind: 'perTensor' }                       → scale []
 *   { kind: 'perAxis', axis: 0 }                → scale [64]
 *   { kind: 'perBlock', axis: 1, blockSize: 16 } → scale [64, 2, 3, 3]
 */
import type { DType } from '../ir/dtype.js';

/** How many scales a tensor gets and along which axis. */
export type Granularity =
  | { readonly kind: 'perTensor' }
  | { readonly kind: 'perAxis'; readonly axis: number }
  | { readonly kind: 'perBlock'; readonly axis: number; readonly blockSize: number };

/** Which observer computes a tensor's range. */
export type ObserverConfig =
  | { readonly kind: 'minmax' }
  | { readonly kind: 'movingAverageMinMax'; readonly averagingConstant: number }
  /** NNCF's mean over samples of each sample's min and max. */
  | { readonly kind: 'meanMinMax' }
  /**
   * A histogram that grows at a fixed bin width, then picks the range by strategy:
   * 'entropy' (KL divergence, TensorRT: 2048 bins, 128 quantized bins, start bin 128),
   * 'percentile' (keeps `percentile` % of values, default 99.999), 'mse' (least
   * quantization error of the observed distribution). Per-tensor only.
   */
  | {
      readonly kind: 'histogram';
      readonly strategy: 'entropy' | 'percentile' | 'mse';
      /** Target bin count over [0, max|x|] (default 2048); at most 16x this are held. */
      readonly bins?: number;
      /** 'percentile': % of values kept, in (0, 100] (default 99.999); asymmetric ranges cut half of the rest from each tail. */
      readonly percentile?: number;
      /** 'entropy': bins of the quantized distribution Q (default 128; doubled for non-negative data on an asymmetric grid). */
      readonly quantizedBins?: number;
      /** 'entropy': first candidate threshold bin, in [1, bins] (default 128). */
      readonly startBin?: number;
    };

/** The quantized form of one tensor. */
export interface QuantSpec {
  readonly dtype: DType;
  readonly symmetric: boolean;
  readonly granularity: Granularity;
  readonly reduceRange?: boolean;
  readonly narrowRange?: boolean;
  readonly observer: ObserverConfig;
}

/** The per-tensor granularity. */
export const PER_TENSOR: Granularity = Object.freeze({ kind: 'perTensor' });

/** A frozen spec (specs are shared between tensors and must not change). */
export function quantSpec(spec: QuantSpec): QuantSpec {
  return Object.freeze({ ...spec, granularity: Object.freeze({ ...spec.granularity }), observer: Object.freeze({ ...spec.observer }) });
}
